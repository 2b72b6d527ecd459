"""Case deadlines in Chinese working days (agencies.workdays), and their recomputation when
the working-day calendar changes.

A stage's deadline is `deadline_days[stage]` working days after the day its clock started
(`stage_started_at`), moved by every extension approved since: from the deadline, or from the
day of approval if the deadline had already passed. The same replay gives the handling
deadline (`handling_started_at`). When the commerce bureau enters holidays or the
chinese-calendar package learns a year, the open cases whose deadlines counted the changed
days are replayed with the new calendar; each change is written to the case's history and
timeline, and the approved requests' deadlines follow.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.workdays import Deadline, WorkCalendar, load_calendar
from anji_recycling.history import save_with_history

from .choices import CaseEventKind, RequestState, Stage
from .models import Case, CaseEvent, CaseRequest

logger = logging.getLogger(__name__)

DEFAULT_DEADLINE_DAYS = {Stage.REGISTER: 1, Stage.DISPATCH: 1, Stage.HANDLE: 10, Stage.VERIFY: 3}


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def stage_days(case: Case, stage: str) -> int:
    return case.deadline_days.get(stage, DEFAULT_DEADLINE_DAYS[stage])


def start_stage(case: Case, stage: str, *, at: dt.datetime, calendar: WorkCalendar) -> None:
    """Start the clock of `stage` at `at` (the case is saved by the caller)."""
    deadline = calendar.deadline(_local_day(at), stage_days(case, stage))
    case.stage = stage
    case.stage_started_at = at
    case.stage_deadline = deadline.day
    case.stage_deadline_provisional = deadline.provisional
    if stage == Stage.HANDLE:
        case.handling_started_at = at
        case.handling_deadline = deadline.day
        case.handling_deadline_provisional = deadline.provisional


def end_stage(case: Case) -> None:
    case.stage, case.stage_deadline, case.stage_started_at = "", None, None
    case.stage_deadline_provisional = False


def extend_stage(case: Case, request: CaseRequest, *, on: dt.date, calendar: WorkCalendar) -> None:
    """An approved request on `on`: the stage deadline moves by the request's working days."""
    before = Deadline(case.stage_deadline or on, case.stage_deadline_provisional)
    after = calendar.extend(before, days=request.days, not_before=on)
    request.old_deadline = case.stage_deadline
    request.old_deadline_provisional = case.stage_deadline_provisional
    request.new_deadline, request.new_deadline_provisional = after.day, after.provisional
    case.stage_deadline, case.stage_deadline_provisional = after.day, after.provisional
    if case.stage == Stage.HANDLE:
        case.handling_deadline = case.stage_deadline
        case.handling_deadline_provisional = case.stage_deadline_provisional


# Recomputation -----------------------------------------------------------------------------


@dataclass
class _Replay:
    deadline: Deadline
    requests: list[CaseRequest]  # the approved requests whose deadlines changed


def _replay(*, calendar: WorkCalendar, started_at, days: int, approvals, until=None) -> _Replay:
    """The deadline `days` working days after `started_at`, moved by the approvals decided
    from then on (and before `until`), as the calendar counts now."""
    deadline = calendar.deadline(_local_day(started_at), days)
    changed = []
    for request in approvals:
        if request.decided_at < started_at or (until is not None and request.decided_at > until):
            continue
        after = calendar.extend(
            deadline, days=request.days, not_before=_local_day(request.decided_at)
        )
        values = (deadline.day, deadline.provisional, after.day, after.provisional)
        stored = (
            request.old_deadline,
            request.old_deadline_provisional,
            request.new_deadline,
            request.new_deadline_provisional,
        )
        if values != stored:
            (
                request.old_deadline,
                request.old_deadline_provisional,
                request.new_deadline,
                request.new_deadline_provisional,
            ) = values
            changed.append(request)
        deadline = after
    return _Replay(deadline=deadline, requests=changed)


def deadline_label(day: dt.date | None, provisional: bool) -> str:
    """A deadline as text (2027-01-05, or 2027-01-05（暂定）), for lists and files."""
    if day is None:
        return "—"
    text = f"{day:%Y-%m-%d}"
    return _("%(date)s (provisional)") % {"date": text} if provisional else text


def _describe(name: str, before: Deadline, after: Deadline) -> str:
    if before.day == after.day:
        if after.provisional:
            return _("%(deadline)s %(date)s stays, still provisional") % {
                "deadline": name,
                "date": f"{after.day:%Y-%m-%d}",
            }
        return _("%(deadline)s %(date)s stays and is no longer provisional") % {
            "deadline": name,
            "date": f"{after.day:%Y-%m-%d}",
        }
    return _("%(deadline)s %(before)s → %(after)s") % {
        "deadline": name,
        "before": deadline_label(before.day, before.provisional),
        "after": deadline_label(after.day, after.provisional),
    }


def recompute_case(*, case: Case, calendar: WorkCalendar, reason: str, actor=None) -> bool:
    """Replay one open case's deadlines with `calendar`; write what changed. Locked."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case.is_open or not case.stage or case.stage_started_at is None:
            return False
        approvals = list(
            case.requests.filter(state=RequestState.APPROVED, decided_at__isnull=False).order_by(
                "decided_at", "pk"
            )
        )
        stage = _replay(
            calendar=calendar,
            started_at=case.stage_started_at,
            days=stage_days(case, case.stage),
            approvals=approvals,
        )
        handling = stage
        if case.stage == Stage.VERIFY and case.handling_started_at is not None:
            # The handling round that came before verifying: its deadline judges on-time
            # closure, so it follows the calendar too.
            handled_at = (
                case.handled_at
                if case.handled_at and case.handled_at > case.handling_started_at
                else None
            )
            handling = _replay(
                calendar=calendar,
                started_at=case.handling_started_at,
                days=stage_days(case, Stage.HANDLE),
                approvals=approvals,
                until=handled_at,
            )
        changes = []
        stored = Deadline(case.stage_deadline, case.stage_deadline_provisional)
        if stage.deadline != stored:
            changes.append(_describe(case.get_stage_display(), stored, stage.deadline))
            case.stage_deadline = stage.deadline.day
            case.stage_deadline_provisional = stage.deadline.provisional
        stored = Deadline(case.handling_deadline, case.handling_deadline_provisional)
        if case.stage in (Stage.HANDLE, Stage.VERIFY) and handling.deadline != stored:
            if case.stage == Stage.VERIFY:
                changes.append(_describe(_("handling deadline"), stored, handling.deadline))
            case.handling_deadline = handling.deadline.day
            case.handling_deadline_provisional = handling.deadline.provisional
        for request in {r.pk: r for r in [*stage.requests, *handling.requests]}.values():
            save_with_history(request, actor=actor, reason=reason, validate=False)
        if not changes:
            return False
        comment = _("%(changes)s. Working-day calendar: %(reason)s") % {
            "changes": "；".join(changes),
            "reason": reason,
        }
        save_with_history(case, actor=actor, reason=comment[:100], validate=False)
        CaseEvent.objects.create(
            case=case, action=CaseEventKind.DEADLINE_RECOMPUTED, actor=actor, comment=comment
        )
        return True


def cases_depending_on(*, first_day: dt.date, last_day: dt.date):
    """Open cases whose deadlines counted a day from `first_day` to `last_day` (or are
    provisional): the clock started before the last day and the deadline is not before the
    first."""
    stage_window = Q(stage_started_at__date__lt=last_day, stage_deadline__gte=first_day)
    handling_window = Q(handling_started_at__date__lt=last_day, handling_deadline__gte=first_day)
    provisional = Q(stage_deadline_provisional=True) | Q(handling_deadline_provisional=True)
    return (
        Case.objects.open()
        .exclude(stage="")
        .filter(stage_started_at__isnull=False)
        .filter(stage_window | handling_window | provisional)
        .order_by("pk")
    )


def recompute_case_deadlines(
    *, first_day: dt.date, last_day: dt.date, reason: str, actor=None
) -> int:
    """After the working-day calendar changed between these days: every open case depending
    on them is replayed, one locked transaction each. Returns how many changed."""
    calendar = load_calendar()
    changed = 0
    for case in cases_depending_on(first_day=first_day, last_day=last_day).only("pk"):
        changed += recompute_case(case=case, calendar=calendar, reason=reason, actor=actor)
    logger.info("case deadlines recomputed for %s to %s: %s changed", first_day, last_day, changed)
    return changed
