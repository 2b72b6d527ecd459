import datetime as dt
import io
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import SecurityEvent
from agencies import services
from agencies.models import Agency, AgencyDuty, LeadingGroupMembership, LeadingGroupPost, Township

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_appointed(commerce_admin):
    post = LeadingGroupPost.objects.get(role="leader")
    return services.save_membership(
        membership=LeadingGroupMembership(
            post=post, person_name="王组长", job_title="副县长", start_date=dt.date(2026, 1, 1)
        ),
        actor=commerce_admin,
    )


@time_machine.travel(dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC))
def test_roster_xlsx_is_laid_out_like_the_annex(client, leader, leader_appointed):
    client.force_login(leader)

    response = client.get(reverse("agencies:leading-group-export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert quote("领导小组名单及职责_20261129.xlsx") in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    members, duties = workbook.worksheets

    title, *numbered = [[c.value for c in row] for row in members.iter_rows()]
    assert "领导小组名单及职责" in title[0]
    assert [r[0] for r in numbered[:4]] == ["序号", 1, 2, 3]
    rows = [title, *[r[1:] for r in numbered]]
    assert rows[1][:4] == ["小组职务", "姓名", "单位", "职务"]
    assert members.freeze_panes == "B3"
    # The 单位 column holds the unit (the county government for the leader), not the post.
    assert rows[2][:4] == ["组长", "王组长", "安吉县人民政府", "副县长"]
    assert [r[0] for r in rows[3:5]] == ["副组长", "副组长"]
    units = [r[2] for r in rows[2:] if r and r[0] == "成员"]
    agency_units = [a.name for a in Agency.objects.exclude(code="govoffice")]
    township_units = [t.name for t in Township.objects.order_by("code")]
    assert units == agency_units + township_units
    assert any(r[0] == "办公室主任" for r in rows if r)
    assert members.column_dimensions["E"].width >= 20

    duty_rows = [[c.value for c in row] for row in duties.iter_rows(min_row=3)]
    assert duties.freeze_panes == "A3"
    assert len(duty_rows) == AgencyDuty.objects.count() == 13
    assert duty_rows[0][0] == "县商务局"
    assert duty_rows[-1][0] == "各乡镇（街道）"
    assert "属地管理责任" in duty_rows[-1][1]


def test_roster_export_is_logged(client, leader):
    client.force_login(leader)
    client.get(reverse("agencies:leading-group-export"))
    assert SecurityEvent.objects.filter(kind="export", user=leader).exists()


def test_roster_export_runs_a_fixed_number_of_queries(
    client, leader, leader_appointed, django_assert_max_num_queries
):
    client.force_login(leader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("agencies:leading-group-export"))
    b"".join(response.streaming_content)
