"""Deleting a row that others still refer to answers 409 with a Chinese message naming what
refers to it and how many rows; the row stays."""

import pytest

from agencies.models import Agency, DutyRule, ProblemCategory, Township
from sites.models import Operator, Site
from tests.factories import make_land_support, make_operator, make_site, make_subsidy

from .rows import report_problems

pytestmark = pytest.mark.django_db


def _delete(api_client, user, path):
    api_client.force_authenticate(user)
    return api_client.delete(path, HTTP_ACCEPT_LANGUAGE="zh-hans")


def _assert_conflict(response, *phrases):
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["detail"].startswith("仍有以下记录引用它，不能删除：")
    for phrase in phrases:
        assert phrase in body["detail"]
    return body


def test_township_with_villages_answers_409_naming_them(api_client, commerce_admin, dipu):
    villages = dipu.villages.count()

    response = _delete(api_client, commerce_admin, f"/api/v1/townships/{dipu.pk}/")

    body = _assert_conflict(response, f"村（社区） {villages} 条")
    assert {"model": "agencies.village", "name": "村（社区）", "count": villages} in body[
        "referenced_by"
    ]
    assert Township.objects.filter(pk=dipu.pk).exists()


def test_agency_leading_duty_rules_answers_409(api_client, commerce_admin):
    market = Agency.objects.get(code="market")
    rules = DutyRule.objects.filter(lead_agency=market).count()

    response = _delete(api_client, commerce_admin, f"/api/v1/agencies/{market.pk}/")

    _assert_conflict(response, f"职责分工规则 {rules} 条")
    assert Agency.objects.filter(pk=market.pk).exists()


def test_duty_rule_that_routed_a_case_answers_409(api_client, commerce_admin, dipu_grid_worker):
    site = make_site(actor=commerce_admin)
    case = report_problems(site, dipu_grid_worker, "fire_hazard").findings.get().case

    response = _delete(api_client, commerce_admin, f"/api/v1/duty-rules/{case.duty_rule_id}/")

    _assert_conflict(response, "案件 1 条")
    assert DutyRule.objects.filter(pk=case.duty_rule_id).exists()


def test_operator_running_a_site_answers_409(api_client, commerce_admin):
    operator = make_operator(actor=commerce_admin)
    make_site(actor=commerce_admin, operator=operator)
    make_site(actor=commerce_admin, operator=operator)

    response = _delete(api_client, commerce_admin, f"/api/v1/operators/{operator.pk}/")

    _assert_conflict(response, "站点 2 条")
    assert Operator.objects.filter(pk=operator.pk).exists()


def test_inspected_site_answers_409_naming_inspections_and_cases(
    api_client, commerce_admin, dipu_grid_worker
):
    site = make_site(actor=commerce_admin)
    report_problems(site, dipu_grid_worker, "fire_hazard")

    response = _delete(api_client, commerce_admin, f"/api/v1/sites/{site.pk}/")

    _assert_conflict(response, "巡查记录 1 条", "案件 1 条")
    assert Site.objects.filter(pk=site.pk).exists()


def test_problem_category_in_the_duty_table_answers_409(api_client, commerce_admin):
    category = ProblemCategory.objects.get(code="fire_hazard")

    response = _delete(api_client, commerce_admin, f"/api/v1/problem-categories/{category.pk}/")

    _assert_conflict(response, "职责分工规则")
    assert ProblemCategory.objects.filter(pk=category.pk).exists()


def test_a_row_nobody_refers_to_is_still_deleted(api_client, commerce_admin):
    operator = make_operator(actor=commerce_admin)

    response = _delete(api_client, commerce_admin, f"/api/v1/operators/{operator.pk}/")

    assert response.status_code == 204
    assert not Operator.objects.filter(pk=operator.pk).exists()


def test_a_restricted_foreign_key_answers_409_the_same_way(commerce_admin):
    """No foreign key is RESTRICT today; one that becomes so is answered like PROTECT."""
    from django.db.models import RestrictedError
    from django.utils import translation

    from anji_recycling.api.exceptions import portal_exception_handler

    operator = make_operator(actor=commerce_admin)
    sites = [make_site(actor=commerce_admin, operator=operator) for _ in range(3)]

    with translation.override("zh-hans"):
        response = portal_exception_handler(RestrictedError("restricted", set(sites)), {})

    assert response.status_code == 409
    assert response.data["detail"] == "仍有以下记录引用它，不能删除：站点 3 条。"
    assert response.data["referenced_by"] == [{"model": "sites.site", "name": "站点", "count": 3}]


def test_rows_the_market_support_network_and_residents_refer_to_answer_409(
    api_client, commerce_admin, dipu
):
    """The apps added later refer to sites and operators too: deleting one of them names the
    transfers, subsidies, land-support cases, projects and residents' reports."""
    from decimal import Decimal

    from django.utils import timezone

    from agencies.models import ProblemCategory
    from public.models import PublicReport
    from public.services import file_public_report
    from sites.models import Material
    from tests.network.conftest import make_project
    from trade.models import Transfer
    from trade.services import record_transfer

    today = timezone.localdate()
    operator = make_operator(actor=commerce_admin)
    station = make_site(actor=commerce_admin, tier=2)
    paper = Material.objects.get(code="paper")
    station.materials.add(paper)
    point = make_site(actor=commerce_admin, operator=operator, parent=station)
    point.materials.add(paper)
    record_transfer(
        transfer=Transfer(
            transferred_on=today,
            from_site=point,
            to_site=station,
            material=paper,
            weight_kg=Decimal(100),
            unit_price=Decimal(0),
            reason="公益回收",
        ),
        actor=commerce_admin,
    )
    make_subsidy(actor=commerce_admin, operator=operator)
    make_land_support(actor=commerce_admin, site=station)
    make_project(actor=commerce_admin, township=dipu, parent=station)
    file_public_report(
        report=PublicReport(
            kind="site_problem",
            township=dipu,
            site=point,
            category=ProblemCategory.objects.get(code="appearance"),
            place="回收点门口",
            description="堆放很乱",
        )
    )

    _assert_conflict(
        _delete(api_client, commerce_admin, f"/api/v1/sites/{point.pk}/"),
        "交售 1 条",
        "群众举报 1 条",
    )
    _assert_conflict(
        _delete(api_client, commerce_admin, f"/api/v1/sites/{station.pk}/"),
        "用地保障事项 1 条",
        "网点建设项目 1 条",
    )
    _assert_conflict(
        _delete(api_client, commerce_admin, f"/api/v1/operators/{operator.pk}/"),
        "补助或奖励 1 条",
    )
    assert Site.objects.filter(pk__in=[point.pk, station.pk]).count() == 2
    assert Operator.objects.filter(pk=operator.pk).exists()
