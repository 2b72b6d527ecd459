"""Deleting a row that others still refer to answers 409 with a Chinese message naming what
refers to it and how many rows; the row stays."""

import pytest

from agencies.models import Agency, DutyRule, ProblemCategory, Township
from inspections.services import FindingInput, file_inspection
from sites.models import Operator, Site
from tests.factories import make_operator, make_site

pytestmark = pytest.mark.django_db


def _delete(api_client, user, path):
    api_client.force_authenticate(user)
    return api_client.delete(path, HTTP_ACCEPT_LANGUAGE="zh-hans")


def _inspect(site, inspector, code="fire_hazard"):
    category = ProblemCategory.objects.get(code=code)
    return file_inspection(
        site=site,
        inspector=inspector,
        result="problems",
        findings=[FindingInput(category=category, description="灭火器过期")],
    )


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
    case = _inspect(site, dipu_grid_worker).findings.get().case

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
    _inspect(site, dipu_grid_worker)

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
