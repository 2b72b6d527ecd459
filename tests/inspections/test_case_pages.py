"""Work queues, the case page and the API: scoped, acting through the state machine."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from inspections.models import Case
from tests.factories import make_user
from tests.html_forms import page_forms

from .conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint_cases(built_up_site, dipu_grid_worker):
    """A fire hazard and unlicensed trading at one 递铺 site: 消防 and 市场监管 jointly."""
    return report(built_up_site, dipu_grid_worker, "fire_hazard", "unlicensed")


@pytest.fixture
def rural_case(rural_site):
    grid = make_user("grid_worker", township_code=rural_site.township.code)
    (case,) = report(rural_site, grid, "appearance")  # 农业农村局
    return case


def _queue(client, user, **params):
    client.force_login(user)
    return list(client.get(reverse("inspections:case-list"), params).context["object_list"])


def test_agency_queue_holds_cases_it_leads_or_assists(
    client, fire_officer, joint_cases, rural_case, market_officer
):
    fire_case, market_case = joint_cases
    assert set(_queue(client, fire_officer)) == {fire_case, market_case}
    assert set(_queue(client, market_officer)) == {fire_case, market_case}
    assert rural_case not in _queue(client, fire_officer)


def test_township_queue_holds_its_own_cases(client, dipu_officer, joint_cases, rural_case):
    assert set(_queue(client, dipu_officer)) == set(joint_cases)


def test_commerce_admin_sees_every_case_and_filters(
    client, commerce_admin, joint_cases, rural_case
):
    assert set(_queue(client, commerce_admin)) == {*joint_cases, rural_case}
    fire = _queue(client, commerce_admin, category=joint_cases[0].category_id)
    assert fire == [joint_cases[0]]
    by_agency = _queue(client, commerce_admin, agency=rural_case.lead_agency_id)
    assert by_agency == [rural_case]


def test_another_agencys_case_page_is_not_found(client, agriculture_officer, joint_cases):
    client.force_login(agriculture_officer)
    assert client.get(joint_cases[0].get_absolute_url()).status_code == 404


def test_the_lead_agency_handles_a_case_through_the_page(
    client, dipu_officer, fire_officer, joint_cases
):
    fire_case, _market_case = joint_cases
    client.force_login(dipu_officer)
    page = client.get(fire_case.get_absolute_url())
    assert [a for a, _label, _setback in page.context["actions"]] == ["register", "dismiss"]
    client.post(reverse("inspections:case-act", args=[fire_case.pk]), {"action": "register"})
    client.post(reverse("inspections:case-act", args=[fire_case.pk]), {"action": "dispatch"})

    client.force_login(fire_officer)
    assert [
        a for a, _, _setback in client.get(fire_case.get_absolute_url()).context["actions"]
    ] == [
        "accept",
        "return",
    ]
    client.post(reverse("inspections:case-act", args=[fire_case.pk]), {"action": "accept"})
    client.post(
        reverse("inspections:case-act", args=[fire_case.pk]),
        {"action": "finish", "comment": "已配备灭火器"},
    )

    fire_case.refresh_from_db()
    assert fire_case.status == "handled"
    assert fire_case.events.last().comment == "已配备灭火器"


def test_the_enforcement_form_offers_today_in_beijing_as_the_decision_date(
    client, dipu_officer, market_officer, built_up_site, dipu_grid_worker
):
    """决定日期 defaults to today in Anji, shown in the date picker (ISO 8601): at 01:30 on
    30 September in Beijing it is still the 29th in UTC. Recording the form as the browser
    submits it stores that date."""
    with time_machine.travel(dt.datetime(2026, 9, 29, 17, 30, tzinfo=dt.UTC), tick=False):
        (case,) = report(built_up_site, dipu_grid_worker, "unlicensed")  # 市场监管局 leads
        client.force_login(dipu_officer)
        for action in ["register", "dispatch"]:
            client.post(reverse("inspections:case-act", args=[case.pk]), {"action": action})
        client.force_login(market_officer)
        client.post(reverse("inspections:case-act", args=[case.pk]), {"action": "accept"})
        page = client.get(case.get_absolute_url()).content.decode()
        url = reverse("inspections:case-enforcement", args=[case.pk])
        (form,) = [form for form in page_forms(page) if form.attrs.get("action") == url]
        data = form.data()
        assert data["decided_on"] == ["2026-09-30"]

        data.update(kind=["warning"], document_number=["安市监警〔2026〕3号"])
        assert client.post(url, data).status_code == 302
    action = case.actions.get()
    assert (action.kind, action.decided_on) == ("warning", dt.date(2026, 9, 30))


def test_a_refused_action_on_the_page_changes_nothing(client, fire_officer, joint_cases):
    fire_case, _ = joint_cases
    client.force_login(fire_officer)
    response = client.post(
        reverse("inspections:case-act", args=[fire_case.pk]), {"action": "register"}, follow=True
    )
    fire_case.refresh_from_db()
    assert fire_case.status == "reported"
    assert list(response.context["messages"])


def test_api_actions_answer_400_and_403_with_the_reason(
    api_client, fire_officer, dipu_officer, joint_cases
):
    fire_case, _ = joint_cases
    api_client.force_authenticate(fire_officer)
    forbidden = api_client.post(f"/api/v1/cases/{fire_case.pk}/act/", {"action": "register"})
    wrong_state = api_client.post(f"/api/v1/cases/{fire_case.pk}/act/", {"action": "finish"})
    api_client.force_authenticate(dipu_officer)
    ok = api_client.post(f"/api/v1/cases/{fire_case.pk}/act/", {"action": "register"})

    assert forbidden.status_code == 403
    assert wrong_state.status_code in (400, 403)
    assert ok.status_code == 200
    assert ok.json()["status"] == "registered"


def test_api_case_list_is_scoped(api_client, agriculture_officer, joint_cases, rural_case):
    api_client.force_authenticate(agriculture_officer)
    rows = api_client.get("/api/v1/cases/").json()["results"]
    assert [row["number"] for row in rows] == [rural_case.number]


@pytest.mark.parametrize("extra_reports", [0, 8])
def test_queue_and_api_run_a_fixed_number_of_queries(
    client,
    api_client,
    commerce_admin,
    built_up_site,
    dipu_grid_worker,
    extra_reports,
    django_assert_max_num_queries,
):
    from tests.factories import make_site

    for _ in range(extra_reports):
        site = make_site(actor=commerce_admin, village=built_up_site.village)
        report(site, dipu_grid_worker, "fire_hazard", "unlicensed")
    client.force_login(commerce_admin)
    api_client.force_authenticate(commerce_admin)
    assert Case.objects.count() == 2 * extra_reports
    # 15: the filter form's two agency lists (lead or assisting; lead agency) are one query each;
    # +1: the reminder to enter next year's holidays that commerce admins see from November;
    # +1: the joint actions' parts, which the bulk actions' policy reads.
    with django_assert_max_num_queries(17):
        assert client.get(reverse("inspections:case-list")).status_code == 200
    # +1 over the queue: the joint actions' parts, which `allowed_actions` reads.
    with django_assert_max_num_queries(9):
        assert api_client.get("/api/v1/cases/").status_code == 200


def test_case_page_runs_a_fixed_number_of_queries(
    client, commerce_admin, joint_cases, django_assert_max_num_queries
):
    client.force_login(commerce_admin)
    with django_assert_max_num_queries(21):  # +1: the holiday reminder (see above)
        assert client.get(joint_cases[0].get_absolute_url()).status_code == 200


def test_enforcement_and_time_requests_through_the_api(
    api_client, dipu_officer, fire_officer, commerce_admin, joint_cases
):
    fire_case, _ = joint_cases
    api_client.force_authenticate(dipu_officer)
    api_client.post(f"/api/v1/cases/{fire_case.pk}/act/", {"action": "register"})
    api_client.post(f"/api/v1/cases/{fire_case.pk}/act/", {"action": "dispatch"})
    api_client.force_authenticate(fire_officer)
    api_client.post(f"/api/v1/cases/{fire_case.pk}/act/", {"action": "accept"})

    incomplete = api_client.post(
        "/api/v1/enforcement-actions/", {"case": fire_case.pk, "kind": "rectification_order"}
    )
    order = api_client.post(
        "/api/v1/enforcement-actions/",
        {"case": fire_case.pk, "kind": "rectification_order", "rectify_by": "2026-12-31"},
    )
    asked = api_client.post(
        f"/api/v1/cases/{fire_case.pk}/request-time/",
        {"kind": "extension", "days": 5, "reason": "整改需采购设备"},
    )
    api_client.force_authenticate(commerce_admin)
    decided = api_client.post(
        f"/api/v1/case-requests/{asked.json()['id']}/decide/", {"approve": True}
    )

    assert incomplete.status_code == 400
    assert "rectify_by" in incomplete.json()
    assert order.status_code == 201
    fire_case.site.refresh_from_db()
    assert fire_case.site.status == "rectifying"
    assert asked.status_code == 201
    assert decided.status_code == 200
    assert decided.json()["state"] == "approved"


def test_admin_shows_cases_scoped_and_read_only(client, dipu_officer, joint_cases, rural_case):
    client.force_login(dipu_officer)
    changelist = client.get(reverse("admin:inspections_case_changelist"))
    assert set(changelist.context["cl"].result_list) == set(joint_cases)
    other = client.get(reverse("admin:inspections_case_change", args=[rural_case.pk]))
    assert other.status_code == 302


def test_commerce_admin_edits_the_checklist_in_the_admin(client, commerce_admin):
    from inspections.models import ChecklistItem

    item = ChecklistItem.objects.get(code="ledger_kept")
    client.force_login(commerce_admin)
    response = client.post(
        reverse("admin:inspections_checklistitem_change", args=[item.pk]),
        {
            "code": item.code,
            "text": "是否建立电子收购台账",
            "category": item.category_id,
            "sort_order": item.sort_order,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "是否建立电子收购台账"
    assert item.history.latest().history_user == commerce_admin


def test_evidence_files_are_served_only_to_those_who_may_see_the_case(
    client, built_up_site, dipu_grid_worker, urban_officer, agriculture_officer
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from inspections.services import FindingInput, file_inspection

    from .conftest import category

    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), "blue").save(buffer, format="PNG")
    inspection = file_inspection(
        site=built_up_site,
        inspector=dipu_grid_worker,
        result="problems",
        findings=[
            FindingInput(
                category=category("appearance"),
                description="门外堆放",
                photos=[SimpleUploadedFile("pile.png", buffer.getvalue(), "image/png")],
            )
        ],
    )
    evidence = inspection.findings.get().photos.get()

    client.force_login(urban_officer)  # the lead agency
    allowed = client.get(evidence.get_absolute_url())
    client.force_login(agriculture_officer)  # not routed to them
    refused = client.get(evidence.get_absolute_url())
    client.logout()
    anonymous = client.get(evidence.get_absolute_url())

    assert allowed.status_code == 200
    assert allowed["Content-Type"] == "image/png"
    assert b"".join(allowed.streaming_content) == buffer.getvalue()
    assert refused.status_code == 404
    assert anonymous.status_code == 302


def test_site_photos_are_served_only_within_scope(client, dipu_officer, commerce_admin):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from sites.services import add_site_photo
    from tests.factories import make_site, make_user

    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), "red").save(buffer, format="PNG")
    site = make_site(actor=dipu_officer)
    photo = add_site_photo(
        site=site,
        image=SimpleUploadedFile("s.png", buffer.getvalue(), "image/png"),
        actor=dipu_officer,
    )
    other_township = make_user("township_officer", township_code="330523002")

    client.force_login(dipu_officer)
    assert client.get(photo.get_absolute_url()).status_code == 200
    client.force_login(other_township)
    assert client.get(photo.get_absolute_url()).status_code == 404
