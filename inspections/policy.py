"""Who may do what to a case, and to a request for more time, as data.

The case lifecycle, after China's digital city-management practice: 上报 → 立案 (or 不予立案) →
派遣 → 处置 → 处置完毕 → 核查 (or back to 处置) → 结案; reopening needs a reason. Beside the
moves stand the case's other actions: re-routing, assigning an officer, asking for more time,
recording enforcement. Services call `ensure_allowed` first; the case page renders its buttons
and forms from `allowed_actions`; the API returns `allowed_actions` on each case and refuses
the rest with the same Chinese message. A new rule is one edit in `CASE_RULES`: "the township
may also approve extensions of its own cases" is `actors={C, T}` on `RequestAction.DECIDE`.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.access import (
    is_agency_officer,
    is_county_admin,
    is_governance_centre,
    is_officer_of_agency,
    is_officer_of_township,
    is_township_officer,
    is_township_user,
)
from anji_recycling.policy import Policy, Rule

from .choices import (
    Actor,
    CaseAction,
    CaseSideAction,
    CaseStatus,
    PartState,
    PatrolActor,
    PatrolTaskAction,
    PatrolTaskStatus,
    RequestAction,
    RequestState,
    Stage,
)


@dataclass(frozen=True)
class Move(Rule):
    """A rule that moves the case: arriving at `target` starts the deadline clock of
    `starts`; None keeps the current stage and deadline, except at a status that waits on
    nobody (see ENDS_STAGE)."""

    starts: str | None = None


C, T, L = Actor.COMMERCE, Actor.TOWNSHIP, Actor.LEAD
S = CaseStatus

# The lead agency handles the case: it may assign, ask for time and record measures.
WHILE_HANDLED = frozenset({S.DISPATCHED, S.HANDLING})
# A joint action (联合执法) is assembled from registration until the handling is finished.
JOINT_STATES = frozenset({S.REGISTERED, S.DISPATCHED, S.HANDLING})
A = Actor.ASSISTING


def _agency_leads(case) -> bool:
    return case.lead_agency_id is not None


def _open_parts(case) -> list:
    # Reads the prefetched parts when the list or page has them.
    return [part for part in case.parts.all() if part.state == PartState.OPEN]


def _no_open_part(case) -> bool:
    return not _open_parts(case)


def _open_part_q() -> Q:
    from .models import JointPart

    return Q(Exists(JointPart.objects.filter(case=OuterRef("pk"), state=PartState.OPEN)))


def _assisted_q() -> Q:
    from .models import Case

    assisting = Case.assisting_agencies.through.objects.filter(case_id=OuterRef("pk"))
    return Q(Exists(assisting))


def _why_not_finished(case) -> str:
    return _(
        "The part of %(agencies)s in the joint action is still open: it marks its part done, "
        "or the commerce bureau waives it giving the reason."
    ) % {"agencies": "、".join(part.agency.name for part in _open_parts(case))}


CASE_RULES = {
    CaseAction.REGISTER: Move(
        actors={C, T}, states={S.REPORTED}, target=S.REGISTERED, starts=Stage.DISPATCH
    ),
    CaseAction.DISMISS: Move(
        actors={C, T}, states={S.REPORTED}, target=S.DISMISSED, needs_comment=True
    ),
    CaseAction.DISPATCH: Move(
        actors={C, T}, states={S.REGISTERED}, target=S.DISPATCHED, starts=Stage.HANDLE
    ),
    # Accepting keeps the handling clock that dispatching started.
    CaseAction.ACCEPT: Move(actors={L}, states={S.DISPATCHED}, target=S.HANDLING),
    CaseAction.RETURN: Move(
        actors={L},
        states={S.DISPATCHED},
        target=S.REGISTERED,
        needs_comment=True,
        starts=Stage.DISPATCH,
        changes=_("the times returned"),
    ),
    # The lead finishes once every assisting agency's part is done (or waived).
    CaseAction.FINISH: Move(
        actors={L},
        states={S.HANDLING},
        target=S.HANDLED,
        starts=Stage.VERIFY,
        when=_no_open_part,
        when_q=lambda: ~_open_part_q(),
        unless=_why_not_finished,
    ),
    CaseAction.VERIFY_PASS: Move(actors={T, C}, states={S.HANDLED}, target=S.VERIFIED),
    CaseAction.VERIFY_FAIL: Move(
        actors={T, C},
        states={S.HANDLED},
        target=S.HANDLING,
        needs_comment=True,
        starts=Stage.HANDLE,
    ),
    CaseAction.CLOSE: Move(
        actors={C}, states={S.VERIFIED}, target=S.CLOSED, changes=_("whether closed on time")
    ),
    CaseAction.REOPEN: (
        Move(
            actors={C},
            states={S.CLOSED},
            target=S.HANDLING,
            needs_comment=True,
            starts=Stage.HANDLE,
        ),
        Move(
            actors={C},
            states={S.DISMISSED},
            target=S.REPORTED,
            needs_comment=True,
            starts=Stage.REGISTER,
        ),
    ),
    # After a return, the commerce bureau names another lead (or the township).
    CaseSideAction.REROUTE: Rule(
        actors={C},
        states={S.REGISTERED},
        needs_comment=True,
        changes=_("the lead agency and the assisting agencies; the handling officer is cleared"),
    ),
    CaseSideAction.ASSIGN: Rule(
        actors={L, C},
        states=WHILE_HANDLED,
        when=_agency_leads,
        when_q=lambda: Q(lead_agency__isnull=False),
        unless=_("The township leads this case: there is no agency officer to assign."),
        changes=_("the handling officer"),
    ),
    CaseSideAction.REQUEST_TIME: Rule(
        actors={L},
        states=WHILE_HANDLED,
        needs_comment=True,
        changes=_("a request for the commerce bureau to decide"),
    ),
    # 部门协作、联合执法: each assisting agency records its own measures, within its duties.
    CaseSideAction.RECORD_ENFORCEMENT: Rule(
        actors={L, A},
        states=WHILE_HANDLED,
        changes=_("a rectification order puts the site into rectifying, a ban into banned"),
    ),
    # The commerce bureau, or the township for its own case (属地主责), assembles the action.
    CaseSideAction.ADD_ASSISTING: Rule(
        actors={C, T},
        states=JOINT_STATES,
        needs_comment=True,
        changes=_("the assisting agencies; the agency's officers are told"),
    ),
    CaseSideAction.FINISH_PART: Rule(
        actors={Actor.OPEN_PART},
        states=JOINT_STATES,
        changes=_("the agency's part is done; the lead may finish once every part is"),
    ),
    CaseSideAction.WAIVE_PART: Rule(
        actors={C},
        states=JOINT_STATES,
        when=lambda case: bool(_open_parts(case)),
        when_q=_open_part_q,
        unless=_("No assisting agency's part is open."),
        needs_comment=True,
        changes=_("the agency's part is waived"),
    ),
    CaseSideAction.REMOVE_ASSISTING: Rule(
        actors={C, T},
        states=JOINT_STATES,
        when=lambda case: bool(case.assisting_agencies.all()),
        when_q=_assisted_q,
        unless=_("This case has no assisting agency."),
        needs_comment=True,
        changes=_("the assisting agencies"),
    ),
    # 联合检查: the day every agency of the joint action comes to the site; all are told.
    CaseSideAction.SET_JOINT_INSPECTION: Rule(
        actors={C, T},
        states=JOINT_STATES,
        when=lambda case: bool(case.assisting_agencies.all()),
        when_q=_assisted_q,
        unless=_("Add an assisting agency first: a joint inspection brings several agencies."),
        changes=_("the joint inspection date; every agency's officers are told"),
    ),
}

# Arriving here ends the deadline clock.
ENDS_STAGE = frozenset({S.VERIFIED, S.CLOSED, S.DISMISSED})


def case_relations(case, user) -> set[str]:
    """How a user stands to a case, one relation a line. A township that leads its case (no
    lead agency) is its lead too."""
    relations = set()
    if is_county_admin(user):
        relations.add(Actor.COMMERCE)
    if is_officer_of_township(user, case.township_id):
        relations.add(Actor.TOWNSHIP)
    if is_officer_of_agency(user, case.lead_agency_id):
        relations.add(Actor.LEAD)
    if case.lead_agency_id is None and Actor.TOWNSHIP in relations:
        relations.add(Actor.LEAD)
    if is_agency_officer(user) and _assists(case, user.agency_id):
        relations.add(Actor.ASSISTING)
    if is_agency_officer(user) and any(p.agency_id == user.agency_id for p in _open_parts(case)):
        relations.add(Actor.OPEN_PART)
    if case.assigned_to_id is not None and case.assigned_to_id == user.pk:
        relations.add(Actor.ASSIGNED)
    return relations


def case_relations_q(user) -> dict[str, Q]:
    """`case_relations` in SQL: for each relation the user can hold to some case, the condition
    on a case that they hold it to it (tests/inspections/test_policy_sql.py compares both)."""
    from .models import Case, JointPart

    held = {}
    if is_county_admin(user):
        held[Actor.COMMERCE] = Q(pk__isnull=False)
    if is_township_officer(user) and user.township_id is not None:
        held[Actor.TOWNSHIP] = Q(township_id=user.township_id)
        held[Actor.LEAD] = Q(township_id=user.township_id, lead_agency__isnull=True)
    if is_agency_officer(user) and user.agency_id is not None:
        held[Actor.LEAD] = Q(lead_agency_id=user.agency_id)
        assisted = Case.assisting_agencies.through.objects.filter(agency_id=user.agency_id)
        held[Actor.ASSISTING] = Q(pk__in=assisted.values("case_id"))
        open_parts = JointPart.objects.filter(agency_id=user.agency_id, state=PartState.OPEN)
        held[Actor.OPEN_PART] = Q(pk__in=open_parts.values("case_id"))
    if user.pk is not None:
        held[Actor.ASSIGNED] = Q(assigned_to_id=user.pk)
    return held


def _request_relations_q(user) -> dict[str, Q]:
    from .models import Case

    return {
        actor: Q(case__in=Case.objects.filter(condition).values("pk"))
        for actor, condition in case_relations_q(user).items()
    }


def _assists(case, agency_id) -> bool:
    # Reads the prefetched assisting agencies when the list or page has them.
    return any(agency.pk == agency_id for agency in case.assisting_agencies.all())


def action_label(action) -> str:
    for choices in (CaseAction, CaseSideAction, RequestAction):
        if action in choices.values:
            return choices(action).label
    return str(action)


CASE_POLICY = Policy(
    noun=_("case"),
    rules=CASE_RULES,
    relations=case_relations,
    relations_q=case_relations_q,
    action_label=action_label,
    actor_label=lambda actor: Actor(actor).label,
    state_label=lambda state: CaseStatus(state).label,
)

# A request for more time is decided by the commerce bureau while it waits.
REQUEST_POLICY = Policy(
    noun=_("request"),
    rules={
        RequestAction.DECIDE: Rule(
            actors={C},
            states={RequestState.PENDING},
            changes=_("the request's state; approving moves the stage deadline"),
        ),
    },
    relations=lambda request, user: case_relations(request.case, user),
    state_of=lambda request: request.state,
    relations_q=_request_relations_q,
    state_field="state",
    action_label=action_label,
    actor_label=lambda actor: Actor(actor).label,
    state_label=lambda state: RequestState(state).label,
)


def patrol_task_relations(task, user) -> set[str]:
    """A task is done by a report of someone of its township (a grid worker or an officer);
    the township's officers, or the commerce bureau, give it to a grid worker."""
    relations = set()
    if is_township_user(user) and user.township_id == task.township_id:
        relations.add(PatrolActor.TOWNSHIP_STAFF)
    if is_officer_of_township(user, task.township_id):
        relations.add(PatrolActor.TOWNSHIP_OFFICER)
    if is_governance_centre(user):
        relations.add(PatrolActor.GOVERNANCE)
    if is_county_admin(user):
        relations.add(PatrolActor.COMMERCE)
    return relations


# Filing a report on the site within the task's period completes the task.
PATROL_TASK_POLICY = Policy(
    noun=_("patrol task"),
    rules={
        PatrolTaskAction.FILE_REPORT: Rule(
            actors={PatrolActor.TOWNSHIP_STAFF},
            states={PatrolTaskStatus.OPEN},
            target=PatrolTaskStatus.DONE,
            changes=_("the task is done, with the report"),
        ),
        # The township gives its tasks out (a task left unassigned when no grid worker was
        # there, or another worker's); the social governance centre across townships.
        PatrolTaskAction.ASSIGN: Rule(
            actors={PatrolActor.TOWNSHIP_OFFICER, PatrolActor.GOVERNANCE, PatrolActor.COMMERCE},
            states={PatrolTaskStatus.OPEN},
            changes=_("the grid worker who patrols the site"),
        ),
    },
    relations=patrol_task_relations,
    action_label=lambda action: PatrolTaskAction(action).label,
    actor_label=lambda actor: PatrolActor(actor).label,
    state_label=lambda state: PatrolTaskStatus(state).label,
)


def allowed_actions(case, user) -> list[str]:
    """The actions this user may take on the case now, in the table's order."""
    return CASE_POLICY.allowed_actions(case, user)


def ensure_allowed(case, user, action, *, comment: str = "", attachments=()) -> Rule:
    return CASE_POLICY.ensure_allowed(case, user, action, comment=comment, attachments=attachments)


def moves() -> list[tuple[str, str, Move]]:
    """Every (action, from status, rule) that moves a case: for the tests and the demo."""
    return [
        (row["action"], source, row["rule"])
        for row in CASE_POLICY.table()
        if isinstance(row["rule"], Move)
        for source in sorted(row["rule"].states)
    ]
