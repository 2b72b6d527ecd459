"""The case policy in SQL (`CASE_POLICY.offering`, which 我的待办 filters by) offers each person
exactly the cases `allowed_actions` offers them: every action, every status, a case led by an
agency or by its township, with assisting agencies whose parts are open or done, assigned or
not, in two townships."""

import pytest

from agencies.models import Agency, Village
from inspections.choices import CaseStatus, PartState, RequestKind, RequestState
from inspections.models import Case, CaseRequest, JointPart
from inspections.policy import CASE_POLICY, REQUEST_POLICY
from tests.factories import make_site, make_user

from .conftest import report

pytestmark = pytest.mark.django_db


def _agency(code):
    return Agency.objects.get(code=code)


@pytest.fixture
def people(commerce_admin, dipu_officer, dipu_grid_worker, market_officer, leader):
    inactive = make_user("agency_officer", agency_code="market", username="left-market")
    inactive.is_active = False
    inactive.save()
    return {
        "commerce": commerce_admin,
        "dipu officer": dipu_officer,
        "tianhuangping officer": make_user("township_officer", township_code="330523108"),
        "dipu grid worker": dipu_grid_worker,
        "market": market_officer,
        "urban": make_user("agency_officer", agency_code="urban"),
        "fire": make_user("agency_officer", agency_code="fire"),
        "market, left": inactive,
        "leader": leader,
    }


@pytest.fixture
def cases(commerce_admin, people):
    """Six cases in 递铺 and 天荒坪, each standing differently to the people."""
    dipu_site = make_site(actor=commerce_admin, village=Village.objects.get(code="330523001018"))
    village = Village.objects.get(name="余村村委会")
    rural_site = make_site(
        actor=commerce_admin, township_code=village.township.code, village=village
    )
    dipu = report(dipu_site, commerce_admin, "fire_hazard", "unlicensed", "appearance", "pollution")
    rural = report(rural_site, commerce_admin, "fire_hazard", "appearance")
    assert rural_site.township.code == "330523108"
    led_by_market, led_by_township, joint_open, joint_done = dipu
    rural_joint, rural_township = rural
    Case.objects.filter(pk__in=[c.pk for c in (led_by_market, rural_joint)]).update(
        lead_agency=_agency("market")
    )
    Case.objects.filter(pk__in=[c.pk for c in (joint_open, joint_done)]).update(
        lead_agency=_agency("urban"), assigned_to=people["urban"]
    )
    Case.objects.filter(pk__in=[c.pk for c in (led_by_township, rural_township)]).update(
        lead_agency=None
    )
    for case, agency, state in [
        (joint_open, "market", PartState.OPEN),
        (joint_done, "market", PartState.DONE),
        (rural_joint, "fire", PartState.OPEN),
        (rural_joint, "urban", PartState.WAIVED),
    ]:
        case.assisting_agencies.add(_agency(agency))
        JointPart.objects.create(case=case, agency=_agency(agency), state=state)
    return [*dipu, *rural]


def _fresh_cases():
    return Case.objects.prefetch_related("parts__agency", "assisting_agencies").order_by("pk")


def test_the_sql_offers_every_action_exactly_where_the_policy_does(cases, people):
    checked = 0
    for status in CaseStatus.values:
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(status=status)
        for who, person in people.items():
            allowed = {
                case.pk: CASE_POLICY.allowed_actions(case, person) for case in _fresh_cases()
            }
            for action in CASE_POLICY.rules:
                by_policy = {pk for pk, actions in allowed.items() if action in actions}
                by_sql = set(
                    Case.objects.filter(CASE_POLICY.offering(person, [action])).values_list(
                        "pk", flat=True
                    )
                )
                assert by_sql == by_policy, (status, who, action)
                checked += bool(by_policy)
    # The fixture is not vacuous: many (status, person, action) offer some case.
    assert checked > 60


def test_several_actions_offer_the_union_each_case_once(cases, people):
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(status=CaseStatus.HANDLING)
    market = people["market"]
    actions = list(CASE_POLICY.rules)
    offered = Case.objects.filter(CASE_POLICY.offering(market, actions))
    expected = [c.pk for c in _fresh_cases() if CASE_POLICY.allowed_actions(c, market)]
    assert sorted(offered.values_list("pk", flat=True)) == expected
    assert offered.count() == len(expected) == 4  # leads two, assists two


def test_requests_to_decide_are_the_commerce_bureaus_pending_ones(cases, people):
    pending, decided = (
        CaseRequest.objects.create(
            case=case,
            kind=RequestKind.EXTENSION,
            days=3,
            reason="检测",
            requested_by=people["market"],
        )
        for case in cases[:2]
    )
    CaseRequest.objects.filter(pk=decided.pk).update(state=RequestState.APPROVED)
    for who, person in people.items():
        requests = CaseRequest.objects.select_related("case").prefetch_related("case__parts")
        by_policy = {r.pk for r in requests if REQUEST_POLICY.allowed_actions(r, person)}
        by_sql = set(
            CaseRequest.objects.filter(
                REQUEST_POLICY.offering(person, list(REQUEST_POLICY.rules))
            ).values_list("pk", flat=True)
        )
        assert by_sql == by_policy, who
    assert by_policy == set() and who == "leader"
    commerce = people["commerce"]
    offered = CaseRequest.objects.filter(REQUEST_POLICY.offering(commerce, REQUEST_POLICY.rules))
    assert list(offered) == [pending]
