"""A joint inspection (联合检查): one report with several agencies present. The report lists
each agency's officers, each finding goes to the agency whose duty covers it, the report counts
for every agency present (its report list and dashboard), the township stays co-responsible;
another agency or township sees none of it (page, API)."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dashboards.periods import Period
from dashboards.selectors import dashboard_headlines
from inspections.models import Inspection, InspectionOfficer
from inspections.services import FindingInput, file_inspection
from tests.factories import make_user

from .conftest import category

pytestmark = pytest.mark.django_db

CHANGSHUO = "330523002"


@pytest.fixture
def ecology_officer(db):
    return make_user("agency_officer", agency_code="ecology")


def findings(*codes):
    return [
        FindingInput(category=category(code), description=f"联合检查发现{code}") for code in codes
    ]


def joint_report(site, inspector, present, *codes):
    return file_inspection(
        site=site,
        inspector=inspector,
        findings=findings(*codes),
        present=present,
    )


def test_a_joint_inspection_lists_each_agencys_officers_and_routes_each_finding(
    built_up_site, dipu_officer, fire_officer, market_officer
):
    second_fire = make_user("agency_officer", agency_code="fire")
    inspection = joint_report(
        built_up_site,
        dipu_officer,
        [fire_officer, second_fire, market_officer],
        "fire_hazard",
        "unlicensed",
        "illegal_building",
    )

    present = {
        (row.agency.code, row.officer_id)
        for row in InspectionOfficer.objects.filter(inspection=inspection)
    }
    assert present == {
        ("fire", fire_officer.pk),
        ("fire", second_fire.pk),
        ("market", market_officer.pk),
    }
    routed = {f.category.code: f.case.lead_agency for f in inspection.findings.all()}
    assert routed["fire_hazard"].code == "fire"
    assert routed["unlicensed"].code == "market"
    assert routed["illegal_building"] is None  # the township leads (属地主责)
    # One report for all of them, and the site's township stays on every case.
    assert Inspection.objects.count() == 1
    assert {f.case.township_id for f in inspection.findings.all()} == {built_up_site.township_id}
    history = InspectionOfficer.history.filter(inspection_id=inspection.pk)
    assert {row.history_user_id for row in history} == {dipu_officer.pk}


def test_the_report_counts_for_every_agency_present_and_not_for_the_others(
    built_up_site, dipu_officer, fire_officer, market_officer, ecology_officer
):
    # Only a fire hazard is found: the market bureau was there but has no case of it.
    inspection = joint_report(
        built_up_site, dipu_officer, [fire_officer, market_officer], "fire_hazard"
    )

    for officer in (fire_officer, market_officer):
        assert Inspection.objects.visible_to(officer).filter(pk=inspection.pk).exists()
    assert not Inspection.objects.visible_to(ecology_officer).exists()
    today = timezone.localdate()
    period = Period.month_of(today)
    fire = dashboard_headlines(user=fire_officer, period=period, today=today)
    market = dashboard_headlines(user=market_officer, period=period, today=today)
    ecology = dashboard_headlines(user=ecology_officer, period=period, today=today)
    assert (fire.joint_inspections.attended, fire.joint_inspections.findings) == (1, 1)
    assert (market.joint_inspections.attended, market.joint_inspections.findings) == (1, 0)
    assert (ecology.joint_inspections.attended, ecology.joint_inspections.findings) == (0, 0)


def test_the_dashboard_card_links_to_the_agencys_joint_inspections(
    client, built_up_site, dipu_officer, fire_officer, market_officer, commerce_admin
):
    inspection = joint_report(built_up_site, dipu_officer, [market_officer], "fire_hazard")
    other = file_inspection(
        site=built_up_site, inspector=commerce_admin, findings=findings("pollution")
    )
    client.force_login(market_officer)
    page = client.get(reverse("dashboards:dashboard")).content.decode()
    assert 'data-figure="joint-inspections"' in page
    listed = client.get(
        reverse("inspections:inspection-list"), {"present_agency": market_officer.agency_id}
    )
    assert list(listed.context["object_list"]) == [inspection]
    assert other not in listed.context["object_list"]


def test_a_grid_worker_may_not_file_a_joint_inspection_and_nothing_is_saved(
    built_up_site, dipu_grid_worker, fire_officer
):
    with pytest.raises(PermissionDenied):
        joint_report(built_up_site, dipu_grid_worker, [fire_officer], "fire_hazard")
    assert not Inspection.objects.exists()


def test_another_townships_officer_may_not_file_one_on_this_site(built_up_site, fire_officer):
    changshuo_officer = make_user("township_officer", township_code=CHANGSHUO)
    with pytest.raises(PermissionDenied):
        joint_report(built_up_site, changshuo_officer, [fire_officer], "fire_hazard")
    assert not Inspection.objects.exists()


def test_only_agency_officers_are_listed_as_present(built_up_site, commerce_admin, dipu_officer):
    with pytest.raises(ValidationError) as refused:
        joint_report(built_up_site, commerce_admin, [dipu_officer], "fire_hazard")
    assert "present_officers" in refused.value.message_dict
    assert not Inspection.objects.exists()


def test_the_page_files_a_joint_inspection_and_shows_who_was_there(
    client, built_up_site, dipu_officer, fire_officer, market_officer, ecology_officer
):
    client.force_login(dipu_officer)
    url = reverse("inspections:report-file", args=[built_up_site.pk])
    form = client.get(url).content.decode()
    assert 'name="present_officers"' in form
    response = client.post(
        url,
        {
            "inspected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "present_officers": [fire_officer.pk, market_officer.pk],
            "findings-TOTAL_FORMS": "1",
            "findings-INITIAL_FORMS": "0",
            "findings-0-category": category("fire_hazard").pk,
            "findings-0-description": "安全出口堵塞",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get()
    assert inspection.officers_present.count() == 2
    for officer in (fire_officer, market_officer):
        client.force_login(officer)
        page = client.get(inspection.get_absolute_url())
        assert page.status_code == 200
        body = page.content.decode()
        assert "县消防救援大队" in body and "县市场监管局" in body
        assert str(fire_officer) in body
        assert "data-routed" in body
    client.force_login(ecology_officer)
    assert client.get(inspection.get_absolute_url()).status_code == 404


def test_a_grid_worker_is_not_offered_the_officers_present(client, built_up_site, dipu_grid_worker):
    client.force_login(dipu_grid_worker)
    form = client.get(reverse("inspections:report-file", args=[built_up_site.pk]))
    assert 'name="present_officers"' not in form.content.decode()


def test_the_api_files_a_joint_inspection_and_scopes_it(
    api_client, built_up_site, dipu_officer, fire_officer, ecology_officer, dipu_grid_worker
):
    body = {
        "site": built_up_site.pk,
        "present_officers": [fire_officer.pk],
        "findings": [{"category": category("fire_hazard").pk, "description": "无灭火器"}],
    }
    api_client.force_authenticate(dipu_grid_worker)
    refused = api_client.post("/api/v1/inspections/", body, format="json")
    assert refused.status_code == 403
    assert not Inspection.objects.exists()

    api_client.force_authenticate(dipu_officer)
    response = api_client.post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert [row["agency_name"] for row in data["officers_present"]] == ["县消防救援大队"]
    assert data["findings"][0]["routed_to"] == fire_officer.agency_id

    url = f"/api/v1/inspections/{data['id']}/"
    api_client.force_authenticate(fire_officer)
    assert api_client.get(url).status_code == 200
    api_client.force_authenticate(ecology_officer)
    assert api_client.get(url).status_code == 404
    assert api_client.get("/api/v1/inspections/").json()["count"] == 0


@pytest.mark.parametrize("officers", [1, 3])
def test_the_joint_report_page_runs_a_fixed_number_of_queries(
    client, built_up_site, dipu_officer, officers, django_assert_max_num_queries
):
    from .test_filing import DETAIL_QUERIES

    codes = ["fire", "market", "ecology"][:officers]
    present = [make_user("agency_officer", agency_code=code) for code in codes]
    inspection = joint_report(built_up_site, dipu_officer, present, "fire_hazard")
    client.force_login(dipu_officer)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        page = client.get(inspection.get_absolute_url())
    assert len(page.context["present_agencies"]) == officers


def test_the_case_ledger_lists_the_agencies_present_at_the_joint_inspection(
    client, built_up_site, dipu_officer, fire_officer, market_officer, commerce_admin
):
    import io

    from openpyxl import load_workbook

    joint = joint_report(built_up_site, dipu_officer, [fire_officer, market_officer], "fire_hazard")
    alone = file_inspection(
        site=built_up_site, inspector=commerce_admin, findings=findings("pollution")
    )
    numbers = {
        "joint": joint.findings.get().case.number,
        "alone": alone.findings.get().case.number,
    }
    for person in (commerce_admin, fire_officer):
        client.force_login(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        response = client.get(reverse("inspections:case-ledger"))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
        header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()][1:]
        column = header.index("联合检查到场部门")
        present = {row[1]: row[column] for row in rows}
        assert present[numbers["joint"]] == "县消防救援大队、县市场监管局"
        if person == commerce_admin:
            assert present[numbers["alone"]] is None
        else:  # the fire brigade's ledger holds its own cases only
            assert numbers["alone"] not in present
