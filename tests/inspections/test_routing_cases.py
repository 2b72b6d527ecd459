"""Findings open cases routed by the duty table; several agencies mean joint enforcement."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.models import Case
from inspections.services import FindingInput, file_inspection
from tests.factories import make_user

from .conftest import category, report

pytestmark = pytest.mark.django_db


def test_piling_at_a_built_up_site_goes_to_the_enforcement_bureau(built_up_site, dipu_grid_worker):
    (case,) = report(built_up_site, dipu_grid_worker, "appearance")

    assert case.lead_agency.code == "urban"
    assert case.area == "built_up"
    assert case.township == built_up_site.township
    assert case.duty_rule.category.code == "appearance"
    assert case.status == "reported"
    assert case.number.startswith("AJ2026") or case.number.startswith("AJ")


def test_piling_at_a_rural_site_goes_to_the_agriculture_bureau(rural_site):
    grid = make_user("grid_worker", township_code=rural_site.township.code)
    (case,) = report(rural_site, grid, "appearance")
    assert case.lead_agency.code == "agriculture"
    assert case.area == "rural"


def test_illegal_building_is_led_by_the_township(built_up_site, dipu_grid_worker):
    (case,) = report(built_up_site, dipu_grid_worker, "illegal_building")
    assert case.lead_agency is None
    assert case.lead_label == "递铺街道"


def test_one_report_for_two_agencies_is_joint_enforcement(built_up_site, dipu_grid_worker):
    fire_case, market_case = report(built_up_site, dipu_grid_worker, "fire_hazard", "unlicensed")

    assert fire_case.lead_agency.code == "fire"
    assert market_case.lead_agency.code == "market"
    assert list(fire_case.assisting_agencies.values_list("code", flat=True)) == ["market"]
    assert list(market_case.assisting_agencies.values_list("code", flat=True)) == ["fire"]
    assert fire_case.township == market_case.township == built_up_site.township


def test_a_second_report_joins_the_open_case_of_that_site_and_category(
    built_up_site, dipu_grid_worker
):
    (first,) = report(built_up_site, dipu_grid_worker, "pollution")
    (second,) = report(built_up_site, dipu_grid_worker, "pollution")

    assert first == second
    assert Case.objects.filter(site=built_up_site).count() == 1
    assert first.findings.count() == 2
    assert first.events.filter(action="joined").count() == 1


def test_the_case_keeps_its_routing_when_the_duty_table_changes(
    built_up_site, dipu_grid_worker, commerce_admin
):
    from agencies.models import Agency, DutyRule
    from agencies.services import save_duty_rule

    (case,) = report(built_up_site, dipu_grid_worker, "fire_hazard")
    rule = DutyRule.objects.get(category__code="fire_hazard")
    rule.lead_agency = Agency.objects.get(code="urban")
    save_duty_rule(rule=rule, actor=commerce_admin)

    case.refresh_from_db()
    assert case.lead_agency.code == "fire"


def test_a_report_outside_the_inspectors_township_is_refused(rural_site, dipu_grid_worker):
    with pytest.raises(PermissionDenied):
        report(rural_site, dipu_grid_worker, "fire_hazard")
    assert not Case.objects.filter(site=rural_site).exists()


def test_a_report_position_outside_anji_is_refused(built_up_site, dipu_grid_worker):
    with pytest.raises(ValidationError):
        file_inspection(
            site=built_up_site,
            inspector=dipu_grid_worker,
            result="problems",
            latitude=31.23,
            longitude=121.47,
            findings=[FindingInput(category=category("fire_hazard"), description="无灭火器")],
        )
    assert not Case.objects.exists()


def test_result_must_match_the_findings(built_up_site, dipu_grid_worker):
    with pytest.raises(ValidationError):
        file_inspection(site=built_up_site, inspector=dipu_grid_worker, result="problems")
    inspection = file_inspection(site=built_up_site, inspector=dipu_grid_worker, result="passed")
    assert inspection.findings.count() == 0
