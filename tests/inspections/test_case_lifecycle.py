"""The case state machine: every allowed move for the right people, every other refused."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.choices import Actor, CaseAction, CaseStatus
from inspections.policy import CASE_POLICY, moves
from inspections.services import transition_case

from .conftest import report

pytestmark = pytest.mark.django_db

PATH_TO = {
    CaseStatus.REPORTED: [],
    CaseStatus.REGISTERED: [CaseAction.REGISTER],
    CaseStatus.DISMISSED: [CaseAction.DISMISS],
    CaseStatus.DISPATCHED: [CaseAction.REGISTER, CaseAction.DISPATCH],
    CaseStatus.HANDLING: [CaseAction.REGISTER, CaseAction.DISPATCH, CaseAction.ACCEPT],
    CaseStatus.HANDLED: [
        CaseAction.REGISTER,
        CaseAction.DISPATCH,
        CaseAction.ACCEPT,
        CaseAction.FINISH,
    ],
    CaseStatus.VERIFIED: [
        CaseAction.REGISTER,
        CaseAction.DISPATCH,
        CaseAction.ACCEPT,
        CaseAction.FINISH,
        CaseAction.VERIFY_PASS,
    ],
}
PATH_TO[CaseStatus.CLOSED] = [*PATH_TO[CaseStatus.VERIFIED], CaseAction.CLOSE]

ALL_MOVES = [(action, source, move) for action, source, move in moves()]


@pytest.fixture
def people(commerce_admin, dipu_officer, urban_officer):
    return {Actor.COMMERCE: commerce_admin, Actor.TOWNSHIP: dipu_officer, Actor.LEAD: urban_officer}


@pytest.fixture
def piling_case(built_up_site, dipu_grid_worker):
    (case,) = report(built_up_site, dipu_grid_worker, "appearance")  # lead: 县综合执法局
    return case


def _who_for(action, move, people):
    return people[sorted(move.actors)[0]]


def bring_to(case, status, people):
    for action in PATH_TO[status]:
        move = CASE_POLICY.rule_for(case, action)
        case = transition_case(
            case=case, action=action, actor=_who_for(action, move, people), comment="理由"
        )
    return case


@pytest.fixture
def new_piling_case(commerce_admin, dipu_grid_worker):
    """A fresh piling case at its own built-up site, for each actor that tries a move."""
    from agencies.models import Village
    from tests.factories import make_site

    def make():
        site = make_site(actor=commerce_admin, village=Village.objects.get(code="330523001018"))
        (case,) = report(site, dipu_grid_worker, "appearance")
        return case

    return make


@pytest.mark.parametrize(
    ("action", "source", "move"), ALL_MOVES, ids=[f"{a}-{source}" for a, source, _m in ALL_MOVES]
)
def test_every_allowed_move_for_each_allowed_actor(new_piling_case, people, action, source, move):
    for actor in sorted(move.actors):
        case = bring_to(new_piling_case(), source, people)
        case = transition_case(case=case, action=action, actor=people[actor], comment="理由")
        assert case.status == move.target
        event = case.events.last()
        assert (event.action, event.from_status, event.to_status) == (
            action,
            source,
            move.target,
        )
        assert event.actor == people[actor]
        assert case.history.latest().history_user == people[actor]


@pytest.mark.parametrize(
    ("action", "source", "move"), ALL_MOVES, ids=[f"{a}-{source}" for a, source, _m in ALL_MOVES]
)
def test_every_move_is_refused_to_the_wrong_people(piling_case, people, action, source, move):
    case = bring_to(piling_case, source, people)
    for actor in set(people) - move.actors:
        with pytest.raises(PermissionDenied):
            transition_case(case=case, action=action, actor=people[actor], comment="理由")
        case.refresh_from_db()
        assert case.status == source


@pytest.mark.parametrize("status", list(CaseStatus))
def test_actions_not_allowed_from_a_status_are_refused(piling_case, people, status):
    case = bring_to(piling_case, status, people)
    events = case.events.count()
    for action in CaseAction:
        if any(rule.starts_from(status) for rule in CASE_POLICY.rules_of(action)):
            continue
        with pytest.raises(ValidationError):
            transition_case(case=case, action=action, actor=people[Actor.COMMERCE], comment="x")
    case.refresh_from_db()
    assert case.status == status
    assert case.events.count() == events


def test_dismissing_and_returning_need_a_reason(piling_case, people):
    with pytest.raises(ValidationError):
        transition_case(case=piling_case, action=CaseAction.DISMISS, actor=people[Actor.TOWNSHIP])
    case = bring_to(piling_case, CaseStatus.DISPATCHED, people)
    with pytest.raises(ValidationError):
        transition_case(case=case, action=CaseAction.RETURN, actor=people[Actor.LEAD], comment=" ")


def test_two_officers_cannot_both_move_the_case_from_one_state(piling_case, people, commerce_admin):
    first_view = piling_case
    second_view = type(piling_case).objects.get(pk=piling_case.pk)

    transition_case(case=first_view, action=CaseAction.REGISTER, actor=people[Actor.TOWNSHIP])
    with pytest.raises(ValidationError, match="reload|刷新|重新"):
        transition_case(
            case=second_view, action=CaseAction.DISMISS, actor=commerce_admin, comment="重复"
        )

    piling_case.refresh_from_db()
    assert piling_case.status == CaseStatus.REGISTERED
    assert piling_case.events.filter(action=CaseAction.DISMISS).count() == 0


def test_a_return_counts_and_the_commerce_bureau_reroutes(piling_case, people, commerce_admin):
    from agencies.models import Agency
    from inspections.services import reroute_case

    case = bring_to(piling_case, CaseStatus.DISPATCHED, people)
    case = transition_case(
        case=case, action=CaseAction.RETURN, actor=people[Actor.LEAD], comment="不属本局职责"
    )
    assert (case.status, case.return_count) == (CaseStatus.REGISTERED, 1)

    case = reroute_case(
        case=case,
        lead_agency=Agency.objects.get(code="agriculture"),
        actor=commerce_admin,
        comment="改由农业农村局处置",
    )
    assert case.lead_agency.code == "agriculture"
    with pytest.raises(PermissionDenied):
        reroute_case(case=case, lead_agency=None, actor=people[Actor.TOWNSHIP], comment="x")


class TestDeadlines:
    @time_machine.travel(dt.datetime(2026, 9, 29, 10, 0, tzinfo=dt.UTC))
    def test_stage_deadlines_count_working_days_across_national_day(
        self, built_up_site, dipu_grid_worker, people
    ):
        # Reported Tuesday 29 September 2026: registering is due in 1 working day.
        (case,) = report(built_up_site, dipu_grid_worker, "appearance")
        assert case.stage == "register"
        assert case.stage_deadline == dt.date(2026, 9, 30)

        with time_machine.travel(dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC)):
            case = transition_case(case=case, action="register", actor=people[Actor.TOWNSHIP])
            case = transition_case(case=case, action="dispatch", actor=people[Actor.TOWNSHIP])
        # Dispatched Wednesday 30 September; handling takes 3 working days (the rule's default
        # for piling): 8 and 9 October, then Saturday 10 October, a make-up workday.
        assert case.deadline_days["handle"] == 3
        assert case.stage == "handle"
        assert case.handling_deadline == case.stage_deadline == dt.date(2026, 10, 10)

    def test_overdue_cases_are_flagged(self, built_up_site, dipu_grid_worker):
        from inspections.models import Case

        with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)):
            (case,) = report(built_up_site, dipu_grid_worker, "appearance")
        with time_machine.travel(dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)):
            case.refresh_from_db()
            assert case.is_overdue
            assert case in Case.objects.overdue()

    def test_on_time_closure_is_judged_against_the_handling_deadline(self, piling_case, people):
        case = bring_to(piling_case, CaseStatus.CLOSED, people)
        assert case.closed_on_time is True


class TestRequests:
    def test_an_approved_extension_moves_the_deadline(self, piling_case, people, commerce_admin):
        from inspections.services import decide_request, request_more_time

        case = bring_to(piling_case, CaseStatus.HANDLING, people)
        before = case.stage_deadline
        request = request_more_time(
            case=case, kind="extension", days=5, reason="需联合执法", actor=people[Actor.LEAD]
        )
        with pytest.raises(PermissionDenied):
            decide_request(request=request, approve=True, actor=people[Actor.LEAD])

        decide_request(request=request, approve=True, actor=commerce_admin, comment="同意")

        case.refresh_from_db()
        request.refresh_from_db()
        assert case.stage_deadline > before
        assert (request.old_deadline, request.new_deadline) == (before, case.stage_deadline)
        with pytest.raises(ValidationError):
            decide_request(request=request, approve=False, actor=commerce_admin)

    def test_a_refused_request_leaves_the_deadline(self, piling_case, people, commerce_admin):
        from inspections.services import decide_request, request_more_time

        case = bring_to(piling_case, CaseStatus.HANDLING, people)
        before = case.stage_deadline
        request = request_more_time(
            case=case, kind="postponement", days=20, reason="经营者住院", actor=people[Actor.LEAD]
        )
        decide_request(request=request, approve=False, actor=commerce_admin, comment="不同意")
        case.refresh_from_db()
        assert case.stage_deadline == before


class TestEnforcement:
    def _action(self, case, **fields):
        from inspections.models import EnforcementAction

        return EnforcementAction(case=case, **fields)

    def test_a_rectification_order_puts_the_site_into_rectifying(self, piling_case, people):
        from inspections.services import record_enforcement_action

        case = bring_to(piling_case, CaseStatus.HANDLING, people)
        record_enforcement_action(
            action=self._action(
                case,
                kind="rectification_order",
                rectify_by=dt.date(2026, 12, 31),
                document_number="安综执责改〔2026〕1号",
            ),
            actor=people[Actor.LEAD],
        )
        site = case.site
        site.refresh_from_db()
        assert site.status == "rectifying"
        change = site.status_changes.first()
        assert case.number in change.source
        assert change.actor == people[Actor.LEAD]

    def test_a_ban_puts_the_site_into_banned(self, piling_case, people):
        from inspections.services import record_enforcement_action

        case = bring_to(piling_case, CaseStatus.HANDLING, people)
        record_enforcement_action(action=self._action(case, kind="ban"), actor=people[Actor.LEAD])
        case.site.refresh_from_db()
        assert case.site.status == "banned"

    @pytest.mark.parametrize(
        ("kind", "field"),
        [
            ("fine", "fine_amount"),
            ("rectification_order", "rectify_by"),
            ("referral", "referred_to"),
        ],
    )
    def test_incomplete_measures_are_refused(self, piling_case, people, kind, field):
        from inspections.models import EnforcementAction
        from inspections.services import record_enforcement_action

        case = bring_to(piling_case, CaseStatus.HANDLING, people)
        with pytest.raises(ValidationError) as error:
            record_enforcement_action(
                action=self._action(case, kind=kind), actor=people[Actor.LEAD]
            )
        assert field in error.value.message_dict
        assert not EnforcementAction.objects.filter(case=case).exists()

    def test_only_the_lead_agency_records_measures(self, piling_case, people):
        from inspections.services import record_enforcement_action

        case = bring_to(piling_case, CaseStatus.HANDLING, people)
        with pytest.raises(PermissionDenied):
            record_enforcement_action(
                action=self._action(case, kind="warning"), actor=people[Actor.TOWNSHIP]
            )
