"""我的待办: what waits on a user, read from the workflows' own policies (a case is listed when
`allowed_actions` offers the user one of its moves; a request or an objection when the user may
decide it). Every list is one query or one query with its prefetches, whatever its length, so
the home page runs a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Prefetch

from accounts.access import follows_open_patrol_tasks
from accounts.selectors import inbox, unread_count
from agencies.choices import ActionItemStatus
from agencies.models import ActionItem
from assessments import selectors as assessment_selectors
from assessments.choices import ObjectionAction
from assessments.policy import OBJECTION_POLICY
from inspections import selectors as case_selectors
from inspections.choices import (
    OPEN_STATUSES,
    CaseAction,
    CaseSideAction,
    PatrolTaskStatus,
    RequestAction,
)
from inspections.models import CaseRequest, JointPart
from inspections.patrols import patrol_tasks_for, still_planned
from inspections.policy import CASE_POLICY, REQUEST_POLICY
from sites.jobs import CHECKED
from sites.models import BackgroundJob

# How many rows each section lists; its header counts them all.
SHOWN = 20
# Case actions that mean the case waits on the user (recording measures or adding an assisting
# agency are always possible while it is handled, and wait on nobody).
WAITING_ACTIONS = frozenset(
    {*CaseAction.values, CaseSideAction.REROUTE, CaseSideAction.FINISH_PART}
)


@dataclass
class Section:
    rows: list = field(default_factory=list)
    count: int = 0


def _section(rows: list) -> Section:
    return Section(rows=rows[:SHOWN], count=len(rows))


def _counted_section(queryset) -> Section:
    """The first SHOWN rows and a COUNT: two queries, however many rows wait (a township's
    open patrol tasks are thousands at province scale)."""
    rows = list(queryset[:SHOWN])
    return Section(rows=rows, count=len(rows) if len(rows) < SHOWN else queryset.count())


def cases_waiting_on(*, user) -> Section:
    """Open cases on which the policy offers the user a move, overdue (earliest deadline)
    first; each row is (case, [action labels]). The database filters by the policy
    (`CASE_POLICY.offering`), so the section reads SHOWN cases and one COUNT however many
    wait."""
    cases = (
        case_selectors.cases_to_act_on(user=user)
        .filter(status__in=OPEN_STATUSES)
        .filter(CASE_POLICY.offering(user, WAITING_ACTIONS))
        .order_by(F("stage_deadline").asc(nulls_last=True), "reported_at", "pk")
    )
    section = _counted_section(cases)
    section.rows = [
        (case, [CASE_POLICY.action_label(a) for a in waiting])
        for case in section.rows
        if (waiting := [a for a in CASE_POLICY.allowed_actions(case, user) if a in WAITING_ACTIONS])
    ]
    return section


def requests_to_decide(*, user) -> Section:
    requests = (
        CaseRequest.objects.filter(
            case__in=case_selectors.cases_for_list(user=user).values("pk"),
        )
        .filter(REQUEST_POLICY.offering(user, [RequestAction.DECIDE]))
        .select_related("case", "case__lead_agency", "requested_by")
        .prefetch_related(
            "case__assisting_agencies",
            Prefetch("case__parts", queryset=JointPart.objects.select_related("agency")),
        )
        .order_by("requested_at", "pk")
    )
    return _counted_section(requests)


def objections_to_answer(*, user) -> Section:
    objections = assessment_selectors.objections_waiting(user=user).select_related(
        "deduction__period"
    )
    return _section(
        [o for o in objections if OBJECTION_POLICY.may(o, user, ObjectionAction.REJECT)]
    )


def action_items_due(*, user) -> Section:
    """Open action items of the user's agency (all of them for the commerce bureau), the most
    urgent first."""
    items = (
        ActionItem.objects.editable_by(user)
        .filter(status=ActionItemStatus.OPEN)
        .select_related("agency", "meeting")
        .order_by("due_on", "pk")
    )
    return _counted_section(items)


def patrol_tasks_open(*, user, today: dt.date) -> Section:
    if not follows_open_patrol_tasks(user):
        return Section()
    tasks = (
        patrol_tasks_for(user=user)
        .filter(still_planned(), status=PatrolTaskStatus.OPEN, period_start__lte=today)
        .order_by("due_on", "site__code")
    )
    return _counted_section(tasks)


def imports_to_confirm(*, user) -> Section:
    jobs = BackgroundJob.objects.filter(
        owner=user,
        kind=BackgroundJob.Kind.ROSTER_IMPORT,
        state=BackgroundJob.State.PENDING,
        result__stage=CHECKED,
    ).order_by("-created_at")
    return _counted_section(jobs)


def unread_notifications(*, user) -> Section:
    rows = list(inbox(user=user, unread_only=True)[:SHOWN])
    return Section(rows=rows, count=len(rows) if len(rows) < SHOWN else unread_count(user=user))


def todo_for(*, user, today: dt.date) -> dict[str, Section]:
    """Every section of the user's 我的待办, in the page's order."""
    return {
        "cases": cases_waiting_on(user=user),
        "requests": requests_to_decide(user=user),
        "objections": objections_to_answer(user=user),
        "action_items": action_items_due(user=user),
        "patrol_tasks": patrol_tasks_open(user=user, today=today),
        "imports": imports_to_confirm(user=user),
        "notifications": unread_notifications(user=user),
    }
