"""The case policy and the services agree: for every state, every person and every action, the
action is in `allowed_actions` exactly when the service accepts it; the page and the API show
the same actions, and refuse the rest with the policy's Chinese message."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.choices import Role
from agencies.models import Agency
from agencies.routing import duties_of
from inspections.choices import (
    Actor,
    CaseAction,
    CaseSideAction,
    CaseStatus,
    EnforcementKind,
    RequestAction,
    RequestKind,
)
from inspections.models import Case, CaseRequest, EnforcementAction
from inspections.policy import CASE_POLICY, REQUEST_POLICY
from inspections.services import (
    add_assisting_agency,
    assign_case,
    decide_request,
    finish_part,
    record_enforcement_action,
    remove_assisting_agency,
    request_more_time,
    reroute_case,
    set_joint_inspection,
    transition_case,
    waive_part,
)
from tests.factories import make_user
from tests.policy_walk import accepted, disagreements, outcome

from .conftest import report
from .test_case_lifecycle import PATH_TO

pytestmark = pytest.mark.django_db

CHANGSHUO = "330523002"


@pytest.fixture
def everyone(
    commerce_admin, dipu_officer, dipu_grid_worker, urban_officer, market_officer, assessor, leader
):
    """One person of each relation to the piling case at 递铺 (lead 综合执法局, 消防 assists)."""
    return {
        "commerce": commerce_admin,
        "township": dipu_officer,
        "other township": make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO),
        "grid worker": dipu_grid_worker,
        "lead": urban_officer,
        "lead colleague": make_user(Role.AGENCY_OFFICER, agency_code="urban"),
        "assisting": make_user(Role.AGENCY_OFFICER, agency_code="fire"),
        "other agency": market_officer,
        "assessor": assessor,
        "leader": leader,
    }


def bring_to(case, status, everyone):
    for action in PATH_TO[status]:
        actor = next(p for p in everyone.values() if CASE_POLICY.may(case, p, action))
        case = transition_case(case=case, action=action, actor=actor, comment="理由")
    return case


def reroute_call(case, actor, everyone):
    fire = Agency.objects.get(code="fire")
    return lambda: reroute_case(case=case, lead_agency=fire, actor=actor, comment="理由")


def assign_call(case, actor, everyone):
    officer = everyone["lead colleague"] if case.lead_agency_id else everyone["lead"]
    return lambda: assign_case(case=case, officer=officer, actor=actor)


def request_time_call(case, actor, everyone):
    return lambda: request_more_time(
        case=case, kind=RequestKind.EXTENSION, days=3, reason="理由", actor=actor
    )


def add_assisting_call(case, actor, everyone):
    ecology = Agency.objects.get(code="ecology")
    return lambda: add_assisting_agency(case=case, agency=ecology, actor=actor, reason="污染")


def remove_assisting_call(case, actor, everyone):
    fire = Agency.objects.get(code="fire")
    return lambda: remove_assisting_agency(case=case, agency=fire, actor=actor, reason="已查")


def finish_part_call(case, actor, everyone):
    return lambda: finish_part(case=case, actor=actor, note="已查处")


def waive_part_call(case, actor, everyone):
    part = case.parts.filter(state="open").first()
    agency = part.agency if part else Agency.objects.get(code="fire")
    return lambda: waive_part(case=case, agency=agency, actor=actor, reason="已整改")


def joint_inspection_call(case, actor, everyone):
    return lambda: set_joint_inspection(case=case, on=timezone.localdate(), actor=actor)


def enforcement_call(case, actor, everyone):
    # An assisting agency names a problem within its duties; the lead's is the case's.
    duty = min(duties_of(agency_id=actor.agency_id), default=None)
    measure = EnforcementAction(
        case=case, kind=EnforcementKind.WARNING, category_id=duty, note="警告"
    )
    return lambda: record_enforcement_action(action=measure, actor=actor)


SIDE_SERVICE_CALLS = {
    CaseSideAction.REROUTE: reroute_call,
    CaseSideAction.ASSIGN: assign_call,
    CaseSideAction.REQUEST_TIME: request_time_call,
    CaseSideAction.ADD_ASSISTING: add_assisting_call,
    CaseSideAction.REMOVE_ASSISTING: remove_assisting_call,
    CaseSideAction.FINISH_PART: finish_part_call,
    CaseSideAction.WAIVE_PART: waive_part_call,
    CaseSideAction.SET_JOINT_INSPECTION: joint_inspection_call,
    CaseSideAction.RECORD_ENFORCEMENT: enforcement_call,
}


def service_call(action, case, actor, everyone):
    """The service behind each action, with valid input."""
    if action in CaseAction.values:
        return lambda: transition_case(case=case, action=action, actor=actor, comment="理由")
    if action not in SIDE_SERVICE_CALLS:
        raise AssertionError(f"no service for {action}")
    return SIDE_SERVICE_CALLS[action](case, actor, everyone)


def joint_piling_case(site, grid_worker):
    piling, _fire = report(site, grid_worker, "appearance", "fire_hazard")
    return piling


def township_led_case(site, grid_worker):
    (case,) = report(site, grid_worker, "poor_management")
    return case


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("make_case", [joint_piling_case, township_led_case])
def test_allowed_actions_are_what_the_services_accept(built_up_site, everyone, status, make_case):
    case = bring_to(make_case(built_up_site, everyone["grid worker"]), status, everyone)
    assert case.status == status
    found = disagreements(
        CASE_POLICY,
        load=lambda: Case.objects.get(pk=case.pk),
        people=everyone,
        call=lambda action, fresh, person: service_call(action, fresh, person, everyone),
    )
    assert found == []


@pytest.mark.parametrize("status", [CaseStatus.REGISTERED, CaseStatus.HANDLING])
def test_with_an_open_part_allowed_actions_are_what_the_services_accept(
    built_up_site, everyone, status
):
    """市场监管 joins the joint action: its officer (here "other agency") holds an open part."""
    case = bring_to(joint_piling_case(built_up_site, everyone["grid worker"]), status, everyone)
    market = Agency.objects.get(code="market")
    add_assisting_agency(case=case, agency=market, actor=everyone["commerce"], reason="无照")
    found = disagreements(
        CASE_POLICY,
        load=lambda: Case.objects.get(pk=case.pk),
        people=everyone,
        call=lambda action, fresh, person: service_call(action, fresh, person, everyone),
    )
    assert found == []
    assert CaseSideAction.FINISH_PART in CASE_POLICY.allowed_actions(case, everyone["other agency"])


@pytest.mark.parametrize("state", ["pending", "approved", "refused"])
def test_deciding_a_request_is_allowed_exactly_when_the_service_accepts(
    built_up_site, everyone, state
):
    case = bring_to(
        joint_piling_case(built_up_site, everyone["grid worker"]), CaseStatus.HANDLING, everyone
    )
    request = request_more_time(
        case=case,
        kind=RequestKind.EXTENSION,
        days=3,
        reason="现场整改需要时间",
        actor=everyone["lead"],
    )
    if state != "pending":
        decide_request(
            request=request, approve=state == "approved", comment="理由", actor=everyone["commerce"]
        )
    found = disagreements(
        REQUEST_POLICY,
        load=lambda: CaseRequest.objects.select_related("case").get(pk=request.pk),
        people=everyone,
        call=lambda action, fresh, person: (
            lambda: decide_request(request=fresh, approve=True, actor=person)
        ),
    )
    assert found == []
    for who, person in everyone.items():
        fresh = CaseRequest.objects.select_related("case").get(pk=request.pk)
        took = accepted(lambda p=person, r=fresh: decide_request(request=r, approve=True, actor=p))
        assert took == (state == "pending" and who == "commerce"), who


def test_the_township_leads_its_own_case_but_assigns_no_agency_officer(built_up_site, everyone):
    case = bring_to(
        township_led_case(built_up_site, everyone["grid worker"]), CaseStatus.HANDLING, everyone
    )
    allowed = CASE_POLICY.allowed_actions(case, everyone["township"])
    assert CaseAction.FINISH in allowed
    assert CaseSideAction.RECORD_ENFORCEMENT in allowed
    assert CaseSideAction.ASSIGN not in allowed
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="乡镇"):
        assign_case(case=case, officer=everyone["lead"], actor=everyone["commerce"])


def test_the_case_page_offers_exactly_the_allowed_actions(client, built_up_site, everyone):
    case = bring_to(
        joint_piling_case(built_up_site, everyone["grid worker"]), CaseStatus.HANDLING, everyone
    )
    url = reverse("inspections:case-detail", args=[case.pk])
    forms = {
        CaseSideAction.ASSIGN: reverse("inspections:case-assign", args=[case.pk]),
        CaseSideAction.REQUEST_TIME: reverse("inspections:case-request", args=[case.pk]),
        CaseSideAction.RECORD_ENFORCEMENT: reverse("inspections:case-enforcement", args=[case.pk]),
        CaseSideAction.REROUTE: reverse("inspections:case-reroute", args=[case.pk]),
        CaseSideAction.SET_JOINT_INSPECTION: reverse(
            "inspections:case-joint-inspection", args=[case.pk]
        ),
    }
    for who in ("commerce", "township", "lead", "assisting"):
        person = everyone[who]
        allowed = CASE_POLICY.allowed_actions(case, person)
        client.force_login(person)
        page = client.get(url).content.decode()
        for action in CaseAction:
            button = f'name="action" value="{action.value}"'
            assert (button in page) == (action in allowed), (who, action)
        for action, target in forms.items():
            assert (f'action="{target}"' in page) == (action in allowed), (who, action)


def test_the_api_lists_allowed_actions_and_refuses_the_rest_in_chinese(
    client, built_up_site, everyone
):
    case = bring_to(
        joint_piling_case(built_up_site, everyone["grid worker"]), CaseStatus.DISPATCHED, everyone
    )
    client.force_login(everyone["lead"])
    body = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert body["allowed_actions"] == CASE_POLICY.allowed_actions(case, everyone["lead"])
    assert {"accept", "return", "assign", "request_time"} <= set(body["allowed_actions"])
    listed = client.get("/api/v1/cases/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert (
        next(row for row in rows if row["id"] == case.pk)["allowed_actions"]
        == (body["allowed_actions"])
    )

    client.force_login(everyone["township"])
    with translation.override("zh-hans"):
        refused = client.post(
            f"/api/v1/cases/{case.pk}/act/",
            {"action": "accept"},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert refused.status_code == 403
    assert "牵头部门" in refused.json()["detail"]
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED


def test_the_api_assigns_an_officer_of_the_lead_agency(client, built_up_site, everyone):
    case = bring_to(
        joint_piling_case(built_up_site, everyone["grid worker"]), CaseStatus.HANDLING, everyone
    )
    client.force_login(everyone["lead"])
    colleague = everyone["lead colleague"]
    wrong = client.post(
        f"/api/v1/cases/{case.pk}/assign/",
        {"officer": everyone["assisting"].pk},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    assert "officer" in wrong.json()
    done = client.post(
        f"/api/v1/cases/{case.pk}/assign/",
        {"officer": colleague.pk},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    case.refresh_from_db()
    assert case.assigned_to == colleague
    assert case.events.last().action == "assign"
    assert str(colleague) in case.events.last().comment


def test_a_new_rule_is_one_edit_of_the_table(client, monkeypatch, built_up_site, everyone):
    """ "The township may also approve extensions of its own cases": the one edit is the actor
    set of `RequestAction.DECIDE` in REQUEST_POLICY (inspections/policy.py, `actors={C}` becomes
    `actors={C, T}`). Made here to the table row alone, the service accepts, the case page shows
    the decision form and the API lists and takes the action; before it, all three refuse with
    the same Chinese message. Another township's officer stays refused (no relation)."""
    case = bring_to(
        joint_piling_case(built_up_site, everyone["grid worker"]), CaseStatus.HANDLING, everyone
    )
    request = request_more_time(
        case=case, kind=RequestKind.EXTENSION, days=3, reason="需要时间", actor=everyone["lead"]
    )
    township, other = everyone["township"], everyone["other township"]
    decide_url = reverse("inspections:request-decide", args=[request.pk])
    api_url = f"/api/v1/case-requests/{request.pk}/"

    def service(person):
        return lambda: decide_request(request=request, approve=True, actor=person, comment="同意")

    client.force_login(township)
    with translation.override("zh-hans"):
        took, messages = outcome(service(township))
    assert not took and messages == ["“审批”操作应由县商务局执行。"]
    assert decide_url not in client.get(case.get_absolute_url()).content.decode()
    assert client.get(api_url).json()["allowed_actions"] == []
    refused = client.post(
        f"{api_url}decide/",
        {"approve": True},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert refused.status_code == 403 and refused.json()["detail"] == messages[0]

    # The one edit: the township joins the actors of the table's row, nothing else changes.
    rule = REQUEST_POLICY.rules[RequestAction.DECIDE]
    monkeypatch.setitem(
        REQUEST_POLICY.rules,
        RequestAction.DECIDE,
        dataclasses.replace(rule, actors=rule.actors | {Actor.TOWNSHIP}),
    )

    assert accepted(service(township))
    assert not accepted(service(other))
    assert decide_url in client.get(case.get_absolute_url()).content.decode()
    assert client.get(api_url).json()["allowed_actions"] == ["decide"]
    approved = client.post(
        f"{api_url}decide/", {"approve": True, "comment": "同意"}, content_type="application/json"
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"
    request.refresh_from_db()
    assert request.decided_by == township
