"""The assessment pages end to end: every page opens for the roles that use it, scoping holds
(a township never sees another's unpublished detail or deductions), actions go through the
services, and each page runs a fixed number of queries."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from assessments.choices import IndicatorKind, PeriodStatus, RunState
from assessments.models import ComputationRun, Deduction, IndicatorScore, Objection
from assessments.services import (
    compute_period,
    file_objection,
    lock_period,
    publish_period,
    record_deduction,
)
from tests.conftest import DIPU

from .conftest import XILONG, indicator, site_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed_q1(q1, commerce_admin, assessor, xilong, dipu, after_q1):
    site_on(dt.date(2026, 1, 5), actor=commerce_admin, township_code=XILONG, tier=2)
    manual = indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS)
    for township, reason in ((xilong, "溪龙乡网点堆放杂乱"), (dipu, "递铺街道台账缺失")):
        record_deduction(
            period=q1,
            township=township,
            indicator=manual,
            points=Decimal(2),
            reason=reason,
            actor=assessor,
        )
    compute_period(period=q1, actor=commerce_admin)
    q1.refresh_from_db()
    return q1


def page(client, user, url):
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


def test_nav_shows_assessment_to_roles_that_take_part(client, users_by_role):
    for role, user in users_by_role.items():
        client.force_login(user)
        labels = [
            str(label)
            for label, url in client.get(reverse("home"), follow=True).context["nav_items"]
        ]
        has_item = reverse("assessments:period-list") in [
            url for label, url in client.get(reverse("home"), follow=True).context["nav_items"]
        ]
        outside = (
            Role.GRID_WORKER,
            Role.AGENCY_OFFICER,
            Role.GOVERNANCE_STAFF,
            Role.COOP_STAFF,
            Role.ASSOCIATION,
        )
        assert has_item == (role not in outside), labels


@pytest.mark.parametrize(
    "role", [Role.COMMERCE_ADMIN, Role.ASSESSOR, Role.LEADER, Role.TOWNSHIP_OFFICER]
)
def test_pages_open_for_each_role(client, users_by_role, computed_q1, dipu, role):
    user = users_by_role[role]
    score = IndicatorScore.objects.filter(period=computed_q1, township=dipu).first()
    deduction = Deduction.objects.get(township=dipu)
    for url in [
        reverse("assessments:period-list"),
        reverse("assessments:period-detail", args=[computed_q1.pk]),
        reverse("assessments:township-detail", args=[computed_q1.pk, dipu.pk]),
        reverse("assessments:score-detail", args=[score.pk]),
        reverse("assessments:deduction-detail", args=[deduction.pk]),
        reverse("assessments:scheme-list"),
        reverse("assessments:scheme-detail", args=[computed_q1.scheme_id]),
    ]:
        status, content = page(client, user, url)
        assert status == 200, url
        assert "安吉县再生资源回收长效管理平台" in content


@pytest.mark.parametrize("role", [Role.GRID_WORKER, Role.AGENCY_OFFICER])
def test_roles_outside_the_assessment_are_refused(client, users_by_role, computed_q1, role):
    for url in [
        reverse("assessments:period-list"),
        reverse("assessments:period-detail", args=[computed_q1.pk]),
        reverse("assessments:period-export", args=[computed_q1.pk]),
    ]:
        status, _ = page(client, users_by_role[role], url)
        assert status in (403, 404), url


def test_a_township_never_sees_another_townships_unpublished_detail(
    client, dipu_officer, computed_q1, xilong
):
    status, _ = page(
        client,
        dipu_officer,
        reverse("assessments:township-detail", args=[computed_q1.pk, xilong.pk]),
    )
    assert status == 404
    xilong_deduction = Deduction.objects.get(township=xilong)
    status, _ = page(
        client, dipu_officer, reverse("assessments:deduction-detail", args=[xilong_deduction.pk])
    )
    assert status == 404
    xilong_score = IndicatorScore.objects.filter(period=computed_q1, township=xilong).first()
    status, _ = page(
        client, dipu_officer, reverse("assessments:score-detail", args=[xilong_score.pk])
    )
    assert status == 404

    status, content = page(
        client, dipu_officer, reverse("assessments:period-detail", args=[computed_q1.pk])
    )
    assert status == 200
    assert "递铺街道" in content and "溪龙乡" not in content


def test_a_township_sees_its_own_detail_with_deductions_and_evidence_records(
    client, dipu_officer, computed_q1, dipu
):
    status, content = page(
        client, dipu_officer, reverse("assessments:township-detail", args=[computed_q1.pk, dipu.pk])
    )
    assert status == 200
    assert "递铺街道台账缺失" in content
    assert "溪龙乡网点堆放杂乱" not in content
    assert "68.00" in content  # 70 − 2


def test_a_count_is_not_shown_as_a_percentage(client, commerce_admin, computed_q1, xilong):
    """溪龙乡 has its one transfer station operating: 1 of 1, not "1.00%"."""
    status, content = page(
        client,
        commerce_admin,
        reverse("assessments:township-detail", args=[computed_q1.pk, xilong.pk]),
    )
    assert status == 200
    station = computed_q1.scores.get(township=xilong, indicator__kind="transfer_station")
    assert (station.numerator, station.denominator) == (1, 1)
    assert "1.00%" not in content
    coverage = computed_q1.scores.get(township=xilong, indicator__kind="village_coverage")
    assert f"= {coverage.value}%" in content


def test_the_published_ranking_shows_every_township_to_a_township(
    client, dipu_officer, commerce_admin, computed_q1
):
    lock_period(period=computed_q1, actor=commerce_admin)
    publish_period(period=computed_q1, actor=commerce_admin)

    status, content = page(
        client, dipu_officer, reverse("assessments:period-detail", args=[computed_q1.pk])
    )

    assert status == 200
    assert "溪龙乡" in content and "递铺街道" in content
    # ... but not another township's detail or deductions.
    assert "溪龙乡网点堆放杂乱" not in content


def test_commerce_admin_computes_locks_publishes_and_unlocks_through_the_pages(
    client, commerce_admin, q1, after_q1, django_capture_on_commit_callbacks
):
    client.force_login(commerce_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:period-compute", args=[q1.pk]))
    run = ComputationRun.objects.get()
    assert response["Location"] == reverse("assessments:run-status", args=[run.pk])
    assert client.get(response["Location"]).status_code == 200
    run.refresh_from_db()
    assert run.state == RunState.DONE

    client.post(reverse("assessments:period-lock", args=[q1.pk]))
    client.post(reverse("assessments:period-publish", args=[q1.pk]))
    q1.refresh_from_db()
    assert q1.status == PeriodStatus.PUBLISHED

    client.post(reverse("assessments:period-unlock", args=[q1.pk]), {"reason": ""})
    q1.refresh_from_db()
    assert q1.status == PeriodStatus.PUBLISHED  # no reason, no unlock
    client.post(reverse("assessments:period-unlock", args=[q1.pk]), {"reason": "更正扣分"})
    q1.refresh_from_db()
    assert q1.status == PeriodStatus.COMPUTED
    history = client.get(reverse("assessments:period-history", args=[q1.pk])).content.decode()
    assert "更正扣分" in history


def test_only_the_commerce_bureau_computes_through_the_page(client, assessor, q1):
    client.force_login(assessor)
    response = client.post(reverse("assessments:period-compute", args=[q1.pk]))
    assert response.status_code == 403


def test_assessor_enters_a_deduction_with_evidence_through_the_page(client, assessor, q1, xilong):
    client.force_login(assessor)
    upload = io.BytesIO(b"%PDF-1.4\n%x\n")
    upload.name = "检查记录.pdf"
    response = client.post(
        reverse("assessments:deduction-create", args=[q1.pk]),
        {
            "township": xilong.pk,
            "indicator": indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS).pk,
            "points": "1.5",
            "reason": "现场检查发现堆放",
            "files": [upload],
        },
    )
    deduction = Deduction.objects.get()
    assert response["Location"] == deduction.get_absolute_url()
    assert deduction.evidence.count() == 1
    file_url = reverse("assessments:evidence-file", args=[deduction.evidence.get().pk])
    assert client.get(file_url).status_code == 200


def test_a_deduction_above_the_maximum_is_refused_on_the_page(client, assessor, q1, xilong):
    client.force_login(assessor)
    response = client.post(
        reverse("assessments:deduction-create", args=[q1.pk]),
        {
            "township": xilong.pk,
            "indicator": indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS).pk,
            "points": "11",
            "reason": "太多",
        },
    )
    assert response.status_code == 200
    assert "11" in response.content.decode()
    assert not Deduction.objects.exists()


def test_township_objects_and_commerce_decides_through_the_pages(
    client, dipu_officer, commerce_admin, computed_q1, dipu
):
    deduction = Deduction.objects.get(township=dipu)
    client.force_login(dipu_officer)
    client.post(
        reverse("assessments:objection-file", args=[deduction.pk]), {"reason": "台账已补齐"}
    )
    objection = Objection.objects.get()
    assert objection.filed_by == dipu_officer

    client.force_login(commerce_admin)
    client.post(
        reverse("assessments:objection-decide", args=[objection.pk]),
        {"accept": "1", "comment": "属实"},
    )
    objection.refresh_from_db()
    deduction.refresh_from_db()
    assert objection.state == "accepted"
    assert deduction.state == "void"


def test_another_township_cannot_object(client, computed_q1, xilong, dipu_officer):
    deduction = Deduction.objects.get(township=xilong)
    client.force_login(dipu_officer)
    response = client.post(
        reverse("assessments:objection-file", args=[deduction.pk]), {"reason": "试试"}
    )
    assert response.status_code == 404
    assert not Objection.objects.exists()


def test_commerce_admin_edits_the_scheme_weights_on_the_page(client, commerce_admin, scheme):
    client.force_login(commerce_admin)
    response = client.get(reverse("assessments:scheme-edit", args=[scheme.pk]))
    assert response.status_code == 200
    indicators = response.context["indicators"]
    bands = response.context["bands"]
    data = {
        "code": scheme.code,
        "name": scheme.name,
        "total_points": "100",
        "objection_days": "7",
        "note": "",
        "indicators-TOTAL_FORMS": str(len(indicators.forms)),
        "indicators-INITIAL_FORMS": str(len(indicators.initial)),
        "bands-TOTAL_FORMS": str(len(bands.forms)),
        "bands-INITIAL_FORMS": str(len(bands.initial)),
    }
    for n, row in enumerate(indicators.initial):
        for key, value in row.items():
            data[f"indicators-{n}-{key}"] = "" if value is None else str(value)
    for n, row in enumerate(bands.initial):
        for key, value in row.items():
            data[f"bands-{n}-{key}"] = str(value)
    data["indicators-0-weight"] = "25"  # 105 in all: refused

    refused = client.post(reverse("assessments:scheme-edit", args=[scheme.pk]), data)
    assert refused.status_code == 200
    assert "105" in refused.content.decode()

    data["indicators-1-weight"] = "5"
    saved = client.post(reverse("assessments:scheme-edit", args=[scheme.pk]), data)
    assert saved.status_code == 302
    scheme.refresh_from_db()
    assert scheme.objection_days == 7
    assert scheme.indicators.get(kind="village_coverage").weight == 25


# Export ----------------------------------------------------------------------------------------


def sheets(response):
    """Each sheet's rows under its title and header rows, without the 序号 counting them."""
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    tables = {}
    for ws in workbook:
        assert "截至" in ws["A1"].value and ws["A2"].value == "序号", ws.title
        rows = list(ws.iter_rows(min_row=3, values_only=True))
        assert [row[0] for row in rows] == list(range(1, len(rows) + 1)), ws.title
        tables[ws.title] = [row[1:] for row in rows]
    return tables


def test_export_holds_ranking_indicator_details_and_deductions(client, commerce_admin, computed_q1):
    client.force_login(commerce_admin)
    response = client.get(
        reverse("assessments:period-export", args=[computed_q1.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    ranking, details, deductions = sheets(response).values()
    assert len(ranking) == 15
    assert ranking[0][:4] == (1, "溪龙乡", 78.0, "合格")  # 70 + 10 station − 2 deduction
    assert len(details) == 15 * 7
    assert {row[0] for row in deductions} == {"溪龙乡", "递铺街道"}
    assert {row[4] for row in deductions} == {"溪龙乡网点堆放杂乱", "递铺街道台账缺失"}


def test_a_townships_export_before_publication_holds_only_its_own(
    client, dipu_officer, computed_q1
):
    client.force_login(dipu_officer)
    response = client.get(reverse("assessments:period-export", args=[computed_q1.pk]))
    ranking, details, deductions = sheets(response).values()
    assert [row[1] for row in ranking] == ["递铺街道"]
    assert {row[0] for row in details} == {"递铺街道"}
    assert [row[4] for row in deductions] == ["递铺街道台账缺失"]


def test_a_townships_export_after_publication_has_the_county_ranking_only(
    client, dipu_officer, commerce_admin, computed_q1
):
    lock_period(period=computed_q1, actor=commerce_admin)
    publish_period(period=computed_q1, actor=commerce_admin)
    client.force_login(dipu_officer)
    ranking, details, deductions = sheets(
        client.get(reverse("assessments:period-export", args=[computed_q1.pk]))
    ).values()
    assert len(ranking) == 15
    assert {row[0] for row in details} == {"递铺街道"}
    assert [row[0] for row in deductions] == ["递铺街道"]


# Query budgets ---------------------------------------------------------------------------------


def _more_deductions(period, assessor, n):
    from agencies.models import Township

    manual = indicator(period.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS)
    for township in Township.objects.all()[:n]:
        deduction = record_deduction(
            period=period,
            township=township,
            indicator=manual,
            points=Decimal("0.5"),
            reason="补充",
            actor=assessor,
        )
        if township.code == DIPU:
            from tests.factories import make_user

            officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
            file_objection(deduction=deduction, reason="异议", actor=officer)


@pytest.mark.parametrize("n", [1, 10])
@pytest.mark.parametrize(
    "name",
    [
        "period-list",
        "period-detail",
        "township-detail",
        "period-export",
        "scheme-list",
        "scheme-detail",
    ],
)
def test_pages_run_a_fixed_number_of_queries(
    client, commerce_admin, assessor, computed_q1, dipu, n, name, django_assert_max_num_queries
):
    _more_deductions(computed_q1, assessor, n)
    compute_period(period=computed_q1, actor=commerce_admin)
    args = {
        "period-list": [],
        "period-detail": [computed_q1.pk],
        "township-detail": [computed_q1.pk, dipu.pk],
        "period-export": [computed_q1.pk],
        "scheme-list": [],
        "scheme-detail": [computed_q1.scheme_id],
    }[name]
    client.force_login(commerce_admin)
    with django_assert_max_num_queries(20):
        response = client.get(reverse(f"assessments:{name}", args=args))
        if name == "period-export":
            b"".join(response.streaming_content)
    assert response.status_code == 200
