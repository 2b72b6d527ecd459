"""会议材料: the joint meeting's pack, one workbook from the dashboard's figures, scoped to the
user, on the hand-built county of tests/dashboards/conftest.py (20 May 2026)."""

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agencies import meetings
from agencies.models import Agency
from tests.agencies.test_meetings import held_meeting
from tests.dashboards.conftest import at

pytestmark = pytest.mark.django_db

SHEETS = [
    "封面",
    "各乡镇站点",
    "回收量",
    "进出平衡异常",
    "超期案件",
    "督办事项",
    "考核排名",
    "领导小组",
    "职责",
]


@pytest.fixture
def april_meeting(county, commerce_admin):
    market = Agency.objects.get(code="market")
    fire = Agency.objects.get(code="fire")
    meeting = held_meeting(
        commerce_admin, starts_at=at(4, 20), agencies=[market, fire], title="二季度联席会议"
    )
    late = meetings.add_action_item(
        meeting=meeting,
        agency=market,
        description="清理无证经营回收点",
        due_on=dt.date(2026, 5, 10),
        actor=commerce_admin,
    )
    meetings.report_progress(item=late, author=commerce_admin, text="已排查十二家")
    done = meetings.add_action_item(
        meeting=meeting,
        agency=fire,
        description="消防检查",
        due_on=dt.date(2026, 5, 30),
        actor=commerce_admin,
    )
    meetings.complete_action_item(item=done, actor=commerce_admin, done_on=dt.date(2026, 5, 1))
    return meeting


def download(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("dashboards:meeting-pack"), params)
    assert response.status_code == 200
    assert "联席会议材料" in unquote(response["Content-Disposition"])
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def table(sheet):
    """A list sheet's table under its title row (scope, 截至 date), without the 序号 column."""
    title, *rows = values(sheet)
    assert "截至" in title[0]
    return [row[1:] for row in rows] if rows and rows[0][0] == "序号" else rows


def cover_figures(book) -> dict:
    return {row[0]: row[1] for row in values(book["封面"]) if row and row[0]}


def test_the_pack_has_every_part_in_chinese(client, leader, april_meeting):
    book = download(client, leader, period="2026-05")
    assert book.sheetnames == SHEETS


def test_cover_states_the_scope_and_period_and_the_headline_figures(client, leader, april_meeting):
    figures = cover_figures(download(client, leader, period="2026-05"))
    assert figures["数据范围"] == "安吉县"
    assert figures["期间"] == "2026年5月"
    assert figures["已登记站点"] == 6
    assert figures["剩余非法点位"] == 1
    assert figures["未结案件"] == 3  # c1, c2, c5
    assert figures["超期案件"] == 2  # c1, c5
    assert figures["按期结案率"] == "50.0%"  # c3 on time, c4 late, both closed in May


def test_sites_by_township_and_tier(client, leader, april_meeting):
    rows = table(download(client, leader, period="2026-05")["各乡镇站点"])
    header, body = rows[0], {row[0]: row[1:] for row in rows[1:]}
    assert header[0] == "乡镇（街道）"
    assert len(body) == 15 + 1  # every township and the total
    assert body["递铺街道"][-1] == 4
    assert body["昌硕街道"][-1] == 2
    assert body["合计"][-1] == 6


def test_overdue_cases_with_their_agencies(client, leader, county, april_meeting):
    rows = table(download(client, leader, period="2026-05")["超期案件"])
    cases = {row[0]: row for row in rows[1:]}
    assert set(cases) == {county["c1"].number, county["c5"].number}
    c1 = cases[county["c1"].number]
    assert c1[5] == county["c1"].lead_agency.name
    assert c1[6] == Agency.objects.get(code="market").name
    assert c1[7] == "2026-05-10"
    assert c1[8] == 8  # working days after Sunday 10 May up to 20 May: 11–15 and 18–20 May


def test_open_action_items_with_their_latest_progress(client, leader, april_meeting):
    rows = table(download(client, leader, period="2026-05")["督办事项"])
    assert len(rows) == 2  # the header and the one open item; the done one is left out
    item = rows[1]
    assert "二季度联席会议" in item[0]
    assert item[1] == "清理无证经营回收点"
    assert item[3] == "2026-05-10"
    assert item[4] == "是"
    assert item[5].endswith("已排查十二家")


def test_no_published_ranking_says_so(client, leader, april_meeting):
    rows = values(download(client, leader, period="2026-05")["考核排名"])
    assert rows == [["尚无已发布的考核结果。"]]


def test_a_township_officers_pack_shows_their_township_alone(
    client, dipu_officer, county, april_meeting
):
    book = download(client, dipu_officer, period="2026-05")
    assert cover_figures(book)["数据范围"] == "递铺街道"
    assert [row[0] for row in table(book["各乡镇站点"])[1:]] == ["递铺街道", "合计"]
    overdue = [row[0] for row in table(book["超期案件"])[1:]]
    assert overdue == [county["c1"].number]


def test_an_agency_officers_pack_has_only_their_cases(client, county, april_meeting):
    from tests.factories import make_user

    market_officer = make_user("agency_officer", agency_code="market")
    book = download(client, market_officer, period="2026-05")
    assert "各乡镇站点" not in book.sheetnames
    overdue = {row[0] for row in table(book["超期案件"])[1:]}
    assert overdue == {county["c1"].number, county["c5"].number}  # assisting c1, leading c5


def test_the_pack_runs_a_fixed_number_of_queries(
    client, leader, county, april_meeting, commerce_admin, django_assert_max_num_queries
):
    client.force_login(leader)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("dashboards:meeting-pack"), {"period": "2026-05"})
    from tests.dashboards.conftest import make_case
    from tests.factories import make_site

    for _ in range(5):
        site = make_site(actor=commerce_admin)
        make_case(
            site=site,
            category="unlicensed",
            status="dispatched",
            reported_at=at(5, 1),
            stage_deadline=dt.date(2026, 5, 8),
            reporter=commerce_admin,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dashboards:meeting-pack"), {"period": "2026-05"})


def test_a_user_without_a_role_gets_no_pack(client, county):
    from tests.factories import UserFactory

    nobody = UserFactory()
    nobody.save()
    client.force_login(nobody)
    assert client.get(reverse("dashboards:meeting-pack")).status_code == 403


def test_the_ranking_shows_the_change_since_last_period_as_a_signed_number(
    client, leader, april_meeting, monkeypatch
):
    from decimal import Decimal

    from agencies.models import Township
    from anji_recycling.xlsx import SIGNED
    from dashboards.selectors import assessment as dashboard_selectors
    from tests.dashboards.test_assessment_slot import FakePeriod, FakeResult, FakeRow

    first, second, third = Township.objects.order_by("code")[:3]
    rows = [
        FakeRow(FakeResult(first, 1, Decimal("91.50")), Decimal("1.50")),
        FakeRow(FakeResult(second, 2, Decimal("88.00")), Decimal("-2.25")),
        FakeRow(FakeResult(third, 3, Decimal("80.00")), None),  # not ranked last period
    ]
    monkeypatch.setattr(
        dashboard_selectors, "latest_published_ranking", lambda *, user: (FakePeriod(), rows)
    )

    sheet = download(client, leader, period="2026-05")["考核排名"]

    changes = [row[4] for row in sheet.iter_rows(min_row=3)]
    assert [cell.value for cell in changes] == [1.5, -2.25, None]
    assert all(cell.data_type == "n" and cell.number_format == SIGNED for cell in changes[:2])
