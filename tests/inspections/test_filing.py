"""Filing a patrol report from a phone, through the pages: the report with its checklist,
findings and photos opens cases routed by the duty table; refusals save nothing; illegal points
are recorded first; the report list and page are scoped and run a fixed number of queries."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from agencies.models import Township
from inspections.models import Case, ChecklistItem, ChecklistResponse, Evidence, Finding, Inspection
from sites.models import Site
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_operator, make_site, make_user

from .conftest import category, report

pytestmark = pytest.mark.django_db

DIPU_POSITION = ("30.638000", "119.680000")


@pytest.fixture
def client(client):
    """The pages in English, so the tests read the msgids (the UI is Chinese by default)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def changshuo_officer(db):
    return make_user("township_officer", township_code=CHANGSHUO)


def png(name="photo.png", colour=(200, 60, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def report_data(*findings, result="problems", answers=None, **fields):
    """The POST of the report form: `findings` are dicts of category code, description,
    serious and photos."""
    inspected_at = timezone.localtime() - dt.timedelta(hours=1)
    data = {
        "inspected_at": inspected_at.strftime("%Y-%m-%dT%H:%M"),
        "latitude": DIPU_POSITION[0],
        "longitude": DIPU_POSITION[1],
        "result": result,
        "note": "",
        "findings-TOTAL_FORMS": str(len(findings)),
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "20",
    }
    for index, finding in enumerate(findings):
        prefix = f"findings-{index}-"
        data[prefix + "category"] = category(finding["category"]).pk
        data[prefix + "description"] = finding.get("description", "发现问题")
        if finding.get("serious"):
            data[prefix + "is_serious"] = "on"
        if finding.get("photos"):
            data[prefix + "photos"] = finding["photos"]
    for code, answer in (answers or {}).items():
        data[f"item_{ChecklistItem.objects.get(code=code).pk}"] = answer
    data.update(fields)
    return data


def file(client, site, data):
    return client.post(reverse("inspections:report-file", args=[site.pk]), data)


def nothing_saved():
    return (
        Inspection.objects.count(),
        Finding.objects.count(),
        Evidence.objects.count(),
        Case.objects.count(),
    ) == (0, 0, 0, 0)


def error_text(response) -> str:
    return response.content.decode()


# Filing ------------------------------------------------------------------------------------------


def test_grid_worker_files_a_report_with_a_photo_and_piling_goes_to_urban_enforcement(
    client, dipu_grid_worker, built_up_site
):
    client.force_login(dipu_grid_worker)
    data = report_data(
        {"category": "appearance", "description": "货物堆放在店外人行道上", "photos": [png()]},
        answers={"goods_inside": "no", "fire_extinguishers": "yes", "land_legal": "na"},
    )

    response = file(client, built_up_site, data)

    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == inspection.get_absolute_url()
    assert inspection.inspector == dipu_grid_worker
    assert inspection.township.code == DIPU
    assert inspection.result == "problems"
    assert str(inspection.latitude) == DIPU_POSITION[0]
    answers = dict(ChecklistResponse.objects.values_list("item__code", "answer"))
    assert answers == {"goods_inside": "no", "fire_extinguishers": "yes", "land_legal": "na"}
    finding = Finding.objects.get()
    assert finding.category.code == "appearance"
    evidence = Evidence.objects.get()
    assert evidence.finding == finding
    assert default_storage.exists(evidence.file.name)
    case = Case.objects.get()
    assert finding.case == case
    assert case.lead_agency.code == "urban"  # 长乐社区 is built-up (121)
    assert case.township.code == DIPU

    page = client.get(response["Location"]).content.decode()
    assert f'Cases opened: <a href="{case.get_absolute_url()}">{case.number}</a>' in page
    assert evidence.get_absolute_url() in page


def test_two_problems_for_two_agencies_open_two_cases_that_assist_each_other(
    client, dipu_grid_worker, built_up_site
):
    client.force_login(dipu_grid_worker)
    data = report_data(
        {"category": "fire_hazard", "description": "无灭火器", "photos": [png("a.png")]},
        {"category": "unlicensed", "description": "无营业执照", "serious": True},
        result="serious",
    )

    response = file(client, built_up_site, data)

    assert response.status_code == 302
    fire = Case.objects.get(category__code="fire_hazard")
    market = Case.objects.get(category__code="unlicensed")
    assert fire.lead_agency.code == "fire"
    assert market.lead_agency.code == "market"
    assert [a.code for a in fire.assisting_agencies.all()] == ["market"]
    assert [a.code for a in market.assisting_agencies.all()] == ["fire"]
    assert market.is_serious
    page = client.get(response["Location"]).content.decode()
    assert fire.number in page
    assert market.number in page


def test_a_second_report_of_the_same_problem_joins_the_open_case(
    client, dipu_grid_worker, built_up_site
):
    (case,) = report(built_up_site, dipu_grid_worker, "appearance")
    client.force_login(dipu_grid_worker)

    response = file(client, built_up_site, report_data({"category": "appearance"}))

    assert Case.objects.get() == case
    assert Finding.objects.filter(case=case).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Added to open cases:" in page
    assert case.number in page


def test_a_report_without_problems_opens_no_case(client, dipu_officer, built_up_site):
    client.force_login(dipu_officer)

    response = file(
        client, built_up_site, report_data(result="passed", answers={"goods_inside": "yes"})
    )

    assert response.status_code == 302
    assert Inspection.objects.get().result == "passed"
    assert not Case.objects.exists()


def test_a_checklist_no_does_not_invent_a_finding_on_the_server(
    client, dipu_grid_worker, built_up_site
):
    client.force_login(dipu_grid_worker)

    file(client, built_up_site, report_data(result="passed", answers={"goods_inside": "no"}))

    assert ChecklistResponse.objects.get().answer == "no"
    assert not Finding.objects.exists()


def test_an_untouched_empty_problem_entry_is_left_out(client, dipu_grid_worker, built_up_site):
    client.force_login(dipu_grid_worker)
    data = report_data(result="passed", **{"findings-TOTAL_FORMS": "1"})

    response = file(client, built_up_site, data)

    assert response.status_code == 302
    assert not Finding.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(
    client, dipu_grid_worker, built_up_site
):
    client.force_login(dipu_grid_worker)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    data = report_data({"category": "appearance", "photos": [png("good.png"), fake]})

    response = file(client, built_up_site, data)

    assert response.status_code == 200
    assert "photo.png is not an image." in error_text(response)
    assert "choose the photos again" in error_text(response)
    assert nothing_saved()


def test_the_services_refusal_shows_on_the_form_and_nothing_is_saved(
    client, dipu_grid_worker, built_up_site
):
    """A problem entered, but the result says 'no problem': file_inspection refuses."""
    client.force_login(dipu_grid_worker)

    response = file(
        client, built_up_site, report_data({"category": "fire_hazard"}, result="passed")
    )

    assert response.status_code == 200
    assert "cannot be marked" in error_text(response)
    assert response.context["form"].errors["result"]
    assert nothing_saved()


def test_a_position_outside_anji_is_refused_on_the_report(client, dipu_grid_worker, built_up_site):
    client.force_login(dipu_grid_worker)

    response = file(
        client,
        built_up_site,
        report_data(result="passed", latitude="31.230000", longitude="121.470000"),
    )

    assert response.status_code == 200
    assert "lies outside Anji County" in error_text(response)
    assert nothing_saved()


def test_an_inspection_in_the_future_is_refused(client, dipu_grid_worker, built_up_site):
    client.force_login(dipu_grid_worker)
    tomorrow = timezone.localtime() + dt.timedelta(days=1)

    response = file(
        client,
        built_up_site,
        report_data(result="passed", inspected_at=tomorrow.strftime("%Y-%m-%dT%H:%M")),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["inspected_at"]
    assert nothing_saved()


def test_the_time_is_read_in_china_time(client, dipu_grid_worker, built_up_site):
    client.force_login(dipu_grid_worker)

    file(client, built_up_site, report_data(result="passed", inspected_at="2026-01-05T09:30"))

    inspected_at = Inspection.objects.get().inspected_at
    assert inspected_at == dt.datetime(2026, 1, 5, 1, 30, tzinfo=dt.UTC)


def test_the_form_offers_the_active_checklist_and_defaults_to_now(
    client, dipu_grid_worker, built_up_site
):
    retired = ChecklistItem.objects.get(code="rain_cover")
    retired.is_active = False
    retired.save()
    client.force_login(dipu_grid_worker)

    response = client.get(reverse("inspections:report-file", args=[built_up_site.pk]))

    assert response.status_code == 200
    items = [item.code for item, _field in response.context["form"].checklist()]
    active = ChecklistItem.objects.filter(is_active=True).order_by("sort_order", "code")
    assert items == [item.code for item in active]
    assert "rain_cover" not in items
    now = timezone.localtime().strftime("%Y-%m-%dT%H:")
    page = response.content.decode()
    assert f'value="{now}' in page
    assert 'id="finding-template"' in page
    assert 'accept="image/*"' in page
    assert 'capture="environment"' in page
    assert "multiple" in page
    assert "<script>" not in page  # CSP: scripts are files with the nonce


# Who may file ------------------------------------------------------------------------------------


def test_a_report_on_another_townships_site_is_not_found(client, dipu_grid_worker, commerce_admin):
    elsewhere = make_site(actor=commerce_admin, township_code=CHANGSHUO)
    client.force_login(dipu_grid_worker)
    url = reverse("inspections:report-file", args=[elsewhere.pk])

    assert client.get(url).status_code == 404
    assert file(client, elsewhere, report_data(result="passed")).status_code == 404
    assert nothing_saved()


@pytest.mark.parametrize("role", ["agency_officer", "assessor", "leader"])
def test_only_patrolling_roles_open_the_filing_pages(client, built_up_site, role):
    user = make_user(
        role, agency_code={"agency_officer": "urban", "assessor": "supervision"}.get(role)
    )
    client.force_login(user)

    for url in [
        reverse("inspections:report-choose-site"),
        reverse("inspections:report-file", args=[built_up_site.pk]),
        reverse("inspections:report-illegal-point"),
    ]:
        assert client.get(url).status_code == 403
    assert file(client, built_up_site, report_data(result="passed")).status_code == 403
    assert nothing_saved()


def test_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("inspections:report-choose-site"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("fixture", ["dipu_grid_worker", "dipu_officer", "commerce_admin"])
def test_patrolling_roles_open_the_filing_pages(client, request, built_up_site, fixture):
    client.force_login(request.getfixturevalue(fixture))
    for url in [
        reverse("inspections:report-choose-site"),
        reverse("inspections:report-file", args=[built_up_site.pk]),
        reverse("inspections:report-illegal-point"),
    ]:
        assert client.get(url).status_code == 200


# Choosing the site -------------------------------------------------------------------------------


def test_the_site_chooser_searches_the_users_own_township(client, dipu_grid_worker, commerce_admin):
    operator = make_operator(actor=commerce_admin, name="安吉绿源回收有限公司")
    ours = make_site(actor=commerce_admin, name="绿源回收点", operator=operator)
    other = make_site(actor=commerce_admin, name="递铺另一回收点", address="递铺街道胜利路8号")
    theirs = make_site(actor=commerce_admin, township_code=CHANGSHUO, name="昌硕绿源回收点")
    client.force_login(dipu_grid_worker)
    url = reverse("inspections:report-choose-site")

    def found(**params):
        return list(client.get(url, params).context["sites"])

    assert set(found()) == {ours, other}
    assert found(q="绿源") == [ours]  # by name; 昌硕's namesake is out of scope
    assert found(q="胜利路") == [other]  # by address
    assert found(q=ours.code) == [ours]  # by site number
    assert found(q="绿源回收有限") == [ours]  # by operator
    assert theirs not in found(q="昌硕")


def test_the_nearest_sites_come_first_when_the_phone_gives_its_position(
    client, dipu_grid_worker, commerce_admin
):
    far = make_site(actor=commerce_admin, name="远", latitude="30.700000", longitude="119.750000")
    near = make_site(actor=commerce_admin, name="近", latitude="30.638500", longitude="119.680500")
    middle = make_site(
        actor=commerce_admin, name="中", latitude="30.650000", longitude="119.690000"
    )
    nowhere = make_site(actor=commerce_admin, name="无坐标")
    client.force_login(dipu_grid_worker)

    response = client.get(
        reverse("inspections:report-choose-site"),
        {"lat": DIPU_POSITION[0], "lng": DIPU_POSITION[1]},
    )

    assert list(response.context["sites"]) == [near, middle, far, nowhere]
    page = response.content.decode()
    assert "about 70 m away" in page
    assert "data-auto-locate" not in page  # it has the position: no asking again
    illegal_point_url = response.context["illegal_point_url"]
    assert f"lat={DIPU_POSITION[0]}" in illegal_point_url


def test_the_site_chooser_asks_for_the_position_when_it_has_none(client, dipu_grid_worker):
    client.force_login(dipu_grid_worker)
    page = client.get(reverse("inspections:report-choose-site")).content.decode()
    assert "data-auto-locate" in page
    assert reverse("inspections:report-illegal-point") in page


# Illegal points ----------------------------------------------------------------------------------


def illegal_point_data(**fields):
    return {
        "name": "无证回收点",
        "address": "递铺街道某村路边",
        "latitude": "30.641234567",
        "longitude": "119.672345678",
        "note": "露天堆放废纸板",
        **fields,
    }


def test_recording_an_illegal_point_registers_it_in_the_users_township_and_opens_its_report(
    client, dipu_grid_worker, changshuo
):
    client.force_login(dipu_grid_worker)

    # Township staff cannot move the point into another township, whatever the post says.
    response = client.post(
        reverse("inspections:report-illegal-point"),
        illegal_point_data(township=changshuo.pk),
    )

    site = Site.objects.get(name="无证回收点")
    assert site.status == "illegal"
    assert site.tier == 3
    assert site.township.code == DIPU
    assert site.village is None
    assert str(site.latitude) == "30.641235"  # rounded to six places
    assert site.code.startswith(f"{DIPU}-3-")
    assert site.status_changes.get().actor == dipu_grid_worker
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("inspections:report-file", args=[site.pk]))

    form_page = client.get(response["Location"])
    assert form_page.status_code == 200
    assert form_page.context["form"]["latitude"].value() == site.latitude


def test_an_illegal_point_may_name_a_village_of_its_township_only(
    client, dipu_officer, dipu_village, changshuo_village
):
    client.force_login(dipu_officer)
    url = reverse("inspections:report-illegal-point")

    refused = client.post(url, illegal_point_data(village=changshuo_village.pk))
    assert refused.status_code == 200
    assert refused.context["form"].errors["village"]

    client.post(url, illegal_point_data(village=dipu_village.pk))
    assert Site.objects.get().village == dipu_village


def test_the_commerce_bureau_records_an_illegal_point_in_any_township(
    client, commerce_admin, changshuo
):
    client.force_login(commerce_admin)

    client.post(
        reverse("inspections:report-illegal-point"),
        illegal_point_data(township=changshuo.pk, latitude="30.62", longitude="119.70"),
    )

    assert Site.objects.get().township == changshuo


def test_an_illegal_point_outside_anji_is_refused(client, dipu_grid_worker):
    client.force_login(dipu_grid_worker)

    response = client.post(
        reverse("inspections:report-illegal-point"),
        illegal_point_data(latitude="31.230000", longitude="121.470000"),
    )

    assert response.status_code == 200
    assert "lies outside Anji County" in response.context["form"].errors["latitude"][0]
    assert not Site.objects.exists()


def test_an_illegal_point_needs_its_position(client, dipu_grid_worker):
    client.force_login(dipu_grid_worker)

    response = client.post(
        reverse("inspections:report-illegal-point"), illegal_point_data(latitude="", longitude="")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["latitude"]
    assert not Site.objects.exists()


def test_the_illegal_point_form_fixes_the_township_of_township_staff(client, dipu_grid_worker):
    client.force_login(dipu_grid_worker)
    form = client.get(reverse("inspections:report-illegal-point")).context["form"]
    assert form["township"].value() == Township.objects.get(code=DIPU).pk
    assert form.fields["township"].disabled
    assert {v.township.code for v in form.fields["village"].queryset} == {DIPU}
    assert form["name"].value() == "无证回收点"


# The report list and page ------------------------------------------------------------------------


@pytest.fixture
def dipu_reports(built_up_site, dipu_grid_worker):
    """Two 递铺 reports: one with a case, one without problems."""
    report(built_up_site, dipu_grid_worker, "fire_hazard")
    from inspections.services import file_inspection

    file_inspection(site=built_up_site, inspector=dipu_grid_worker, result="passed")
    return list(Inspection.objects.all())


def test_the_report_list_is_scoped_to_the_township(
    client, dipu_officer, changshuo_officer, commerce_admin, dipu_reports
):
    url = reverse("inspections:inspection-list")

    client.force_login(dipu_officer)
    assert set(client.get(url).context["object_list"]) == set(dipu_reports)
    client.force_login(changshuo_officer)
    assert list(client.get(url).context["object_list"]) == []
    client.force_login(commerce_admin)
    assert set(client.get(url).context["object_list"]) == set(dipu_reports)


def test_an_agency_sees_the_reports_behind_its_cases(
    client, fire_officer, urban_officer, dipu_reports
):
    url = reverse("inspections:inspection-list")
    client.force_login(fire_officer)
    with_case = Inspection.objects.get(findings__isnull=False)
    assert list(client.get(url).context["object_list"]) == [with_case]
    client.force_login(urban_officer)
    assert list(client.get(url).context["object_list"]) == []


def test_the_report_list_shows_time_site_township_inspector_result_and_cases(
    client, dipu_officer, dipu_reports
):
    client.force_login(dipu_officer)
    page = client.get(reverse("inspections:inspection-list")).content.decode()
    case = Case.objects.get()
    inspection = Inspection.objects.get(findings__isnull=False)
    assert timezone.localtime(inspection.inspected_at).strftime("%Y-%m-%d %H:%M") in page
    assert inspection.site.name in page
    assert "递铺街道" in page
    assert "Problems found" in page
    assert "No problem" in page
    assert case.number in page


def test_the_report_list_filters_by_result(client, dipu_officer, dipu_reports):
    client.force_login(dipu_officer)
    listed = client.get(reverse("inspections:inspection-list"), {"result": "passed"})
    assert [i.result for i in listed.context["object_list"]] == ["passed"]


def test_another_townships_report_page_is_not_found(client, changshuo_officer, dipu_reports):
    client.force_login(changshuo_officer)
    url = reverse("inspections:inspection-detail", args=[dipu_reports[0].pk])
    assert client.get(url).status_code == 404


def test_the_report_page_shows_answers_findings_photos_and_cases(
    client, dipu_grid_worker, dipu_officer, built_up_site
):
    client.force_login(dipu_grid_worker)
    response = file(
        client,
        built_up_site,
        report_data(
            {
                "category": "appearance",
                "description": "门前堆放",
                "photos": [png("a.png"), png("b.png")],
            },
            {"category": "fire_hazard", "description": "无灭火器", "serious": True},
            result="serious",
            answers={"goods_inside": "no", "exits_clear": "yes"},
        ),
    )
    client.force_login(dipu_officer)

    page = client.get(response["Location"]).content.decode()

    for evidence in Evidence.objects.all():
        url = evidence.get_absolute_url()
        assert f'<a href="{url}"><img src="{url}"' in page
    for case in Case.objects.all():
        assert case.number in page
        assert case.lead_agency.name in page
    assert "门前堆放" in page
    assert "serious violation" in page
    assert "Reported" in page  # the cases' status
    assert ChecklistItem.objects.get(code="goods_inside").text in page


# Query budgets -----------------------------------------------------------------------------------


def many_reports(site, inspector, count):
    for number in range(count):
        codes = ["appearance", "fire_hazard"] if number % 2 else []
        if codes:
            report(site, inspector, *codes)
        else:
            from inspections.services import file_inspection

            file_inspection(site=site, inspector=inspector, result="passed")


# The list's filter offers the agencies of a joint inspection (one query for the choices).
LIST_QUERIES = 14
# The report page reads the officers present at a joint inspection (one query, any number).
DETAIL_QUERIES = 15
CHOOSER_QUERIES = 11


@pytest.mark.parametrize("count", [1, 8])
def test_the_report_list_runs_a_fixed_number_of_queries(
    client,
    dipu_officer,
    dipu_grid_worker,
    built_up_site,
    commerce_admin,
    count,
    django_assert_max_num_queries,
):
    many_reports(built_up_site, dipu_grid_worker, count)
    client.force_login(dipu_officer)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("inspections:inspection-list"))
    assert len(response.context["object_list"]) == count


@pytest.mark.parametrize("findings", [1, 4])
def test_the_report_page_runs_a_fixed_number_of_queries(
    client, dipu_officer, dipu_grid_worker, built_up_site, findings, django_assert_max_num_queries
):
    client.force_login(dipu_grid_worker)
    codes = ["appearance", "fire_hazard", "unlicensed", "pollution"][:findings]
    response = file(
        client,
        built_up_site,
        report_data(*({"category": code, "photos": [png()]} for code in codes)),
    )
    client.force_login(dipu_officer)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        page = client.get(response["Location"])
    assert len(page.context["findings"]) == findings


@pytest.mark.parametrize("count", [1, 8])
def test_the_site_chooser_runs_a_fixed_number_of_queries(
    client, dipu_grid_worker, commerce_admin, count, django_assert_max_num_queries
):
    operator = make_operator(actor=commerce_admin)
    for _number in range(count):
        make_site(actor=commerce_admin, operator=operator, latitude="30.64", longitude="119.68")
    client.force_login(dipu_grid_worker)
    with django_assert_max_num_queries(CHOOSER_QUERIES):
        response = client.get(
            reverse("inspections:report-choose-site"), {"lat": "30.63", "lng": "119.67"}
        )
    assert len(response.context["sites"]) == count
