"""Re-routing, assigning and giving more time keep a case consistent: the new lead of a joint
case is never its own assisting agency, an officer is assigned only while the lead agency
handles the case, and no extension is granted to a case that has moved on."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.urls import reverse

from accounts.choices import Role
from agencies.models import Agency
from inspections.choices import Actor, CaseAction, CaseStatus, RequestKind, RequestState
from inspections.models import Case
from inspections.services import (
    assign_case,
    decide_request,
    request_more_time,
    reroute_case,
    transition_case,
)
from tests.factories import make_user

from .conftest import report
from .test_case_lifecycle import bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(commerce_admin, dipu_officer, urban_officer):
    return {Actor.COMMERCE: commerce_admin, Actor.TOWNSHIP: dipu_officer, Actor.LEAD: urban_officer}


@pytest.fixture
def joint_cases(built_up_site, dipu_grid_worker):
    """One report, two problems: piling (lead 综合执法局) and no licence (lead 市场监管局);
    each case's lead assists the other."""
    piling, unlicensed = report(built_up_site, dipu_grid_worker, "appearance", "unlicensed")
    return piling, unlicensed


def returned(case, people):
    case = bring_to(case, CaseStatus.DISPATCHED, people)
    return transition_case(
        case=case, action=CaseAction.RETURN, actor=people[Actor.LEAD], comment="不属本局职责"
    )


def agency(code):
    return Agency.objects.get(code=code)


def test_rerouting_a_returned_joint_case_never_makes_the_lead_its_own_assistant(
    joint_cases, people, commerce_admin
):
    piling, _ = joint_cases
    assert set(piling.assisting_agencies.values_list("code", flat=True)) == {"market"}
    case = returned(piling, people)

    case = reroute_case(
        case=case,
        lead_agency=agency("market"),
        actor=commerce_admin,
        comment="改由市场监管局牵头",
        previous_lead_assists=True,
    )

    assert case.lead_agency.code == "market"
    assert set(case.assisting_agencies.values_list("code", flat=True)) == {"urban"}
    assert "综合执法局" in case.events.get(action="reroute").comment


def test_the_previous_lead_assists_only_if_chosen(joint_cases, people, commerce_admin):
    piling, _ = joint_cases
    case = reroute_case(
        case=returned(piling, people),
        lead_agency=agency("market"),
        actor=commerce_admin,
        comment="改由市场监管局牵头",
    )
    assert list(case.assisting_agencies.all()) == []


def test_the_reroute_form_offers_to_keep_the_previous_lead_on_a_joint_case(
    client, joint_cases, people, commerce_admin
):
    piling, _ = joint_cases
    case = returned(piling, people)
    client.force_login(commerce_admin)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'name="previous_lead_assists"' in page and "checked" in page

    client.post(
        reverse("inspections:case-reroute", args=[case.pk]),
        {"lead_agency": agency("market").pk, "comment": "改派", "previous_lead_assists": "on"},
    )
    case.refresh_from_db()
    assert case.lead_agency.code == "market"
    assert set(case.assisting_agencies.values_list("code", flat=True)) == {"urban"}


# Assigning ---------------------------------------------------------------------------------------


@pytest.fixture
def urban_colleague(db):
    return make_user(Role.AGENCY_OFFICER, agency_code="urban")


@pytest.fixture
def piling_case(built_up_site, dipu_grid_worker):
    (case,) = report(built_up_site, dipu_grid_worker, "appearance")
    return case


def test_the_lead_assigns_one_of_its_officers_while_handling(piling_case, people, urban_colleague):
    case = bring_to(piling_case, CaseStatus.HANDLING, people)
    case = assign_case(case=case, officer=urban_colleague, actor=people[Actor.LEAD])
    case.refresh_from_db()
    assert case.assigned_to == urban_colleague
    assert case.events.filter(action="assign").count() == 1
    assert case.history.latest().assigned_to_id == urban_colleague.pk


@pytest.mark.parametrize("status", [CaseStatus.REPORTED, CaseStatus.HANDLED, CaseStatus.CLOSED])
def test_no_assignment_outside_handling(piling_case, people, urban_colleague, status):
    case = bring_to(piling_case, status, people)
    with pytest.raises(ValidationError):
        assign_case(case=case, officer=urban_colleague, actor=people[Actor.LEAD])
    case.refresh_from_db()
    assert case.assigned_to is None


def test_only_officers_of_the_lead_agency_are_assigned(piling_case, people, market_officer):
    case = bring_to(piling_case, CaseStatus.HANDLING, people)
    with pytest.raises(ValidationError):
        assign_case(case=case, officer=market_officer, actor=people[Actor.LEAD])
    with pytest.raises(PermissionDenied):
        assign_case(case=case, officer=people[Actor.LEAD], actor=market_officer)


def test_an_inactive_officer_is_not_assigned(piling_case, people, urban_colleague):
    case = bring_to(piling_case, CaseStatus.HANDLING, people)
    urban_colleague.is_active = False
    urban_colleague.save()
    with pytest.raises(ValidationError):
        assign_case(case=case, officer=urban_colleague, actor=people[Actor.LEAD])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_assigning_waits_for_a_concurrent_move_and_then_refuses(
    transactional_portal_data, commerce_admin, dipu_officer, dipu_grid_worker
):
    """The case row is locked: an assignment that starts while another officer finishes the
    case sees the finished case and is refused (it does not assign a handled case)."""
    from agencies.models import Village
    from tests.factories import make_site

    urban = make_user(Role.AGENCY_OFFICER, agency_code="urban")
    colleague = make_user(Role.AGENCY_OFFICER, agency_code="urban")
    site = make_site(actor=commerce_admin, village=Village.objects.get(code="330523001018"))
    (case,) = report(site, dipu_grid_worker, "appearance")
    people = {Actor.COMMERCE: commerce_admin, Actor.TOWNSHIP: dipu_officer, Actor.LEAD: urban}
    case = bring_to(case, CaseStatus.HANDLING, people)

    from django.db import connection, transaction

    outcome = {}
    locked = threading.Event()

    def assign_after_the_lock():
        locked.wait(timeout=10)
        try:
            assign_case(case=case, officer=colleague, actor=urban)
            outcome["result"] = "assigned"
        except ValidationError:
            outcome["result"] = "refused"
        finally:
            close_old_connections()

    other = threading.Thread(target=assign_after_the_lock)
    other.start()
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        locked.set()
        # The other thread now waits on the row lock; finish the case meanwhile.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.3)")
        transition_case(case=case, action=CaseAction.FINISH, actor=urban)
    other.join(timeout=10)

    assert outcome == {"result": "refused"}
    assert Case.objects.get(pk=case.pk).assigned_to is None


# More time ----------------------------------------------------------------------------------


def test_an_extension_is_not_approved_once_the_case_has_moved_past_handling(
    piling_case, people, commerce_admin
):
    case = bring_to(piling_case, CaseStatus.HANDLING, people)
    time_request = request_more_time(
        case=case,
        kind=RequestKind.EXTENSION,
        days=5,
        reason="需要补充材料",
        actor=people[Actor.LEAD],
    )
    case = transition_case(case=case, action=CaseAction.FINISH, actor=people[Actor.LEAD])
    transition_case(case=case, action=CaseAction.VERIFY_PASS, actor=people[Actor.TOWNSHIP])
    deadline_before = Case.objects.get(pk=case.pk).stage_deadline

    with pytest.raises(ValidationError):
        decide_request(request=time_request, approve=True, actor=commerce_admin)

    time_request.refresh_from_db()
    assert time_request.state == RequestState.PENDING
    assert Case.objects.get(pk=case.pk).stage_deadline == deadline_before
    refused = decide_request(
        request=time_request, approve=False, actor=commerce_admin, comment="案件已核查"
    )
    assert refused.state == RequestState.REFUSED
