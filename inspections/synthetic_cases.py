"""What becomes of synthetic reports' cases (the duty table's routing, numbers, where each case is
in its life, the agencies assisting each other, the events) and the patrol tasks of the
synthetic sites.
"""

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from agencies.routing import NoDutyRule, area_kind, route
from anji_recycling.anji_time import anji_moment
from sites.choices import SiteStatus

from .bulk_rows import write_rows
from .choices import (
    OPEN_STATUSES,
    CaseEventKind,
    CaseStatus,
    PatrolFrequency,
    PatrolTaskStatus,
    Stage,
)
from .models import Case, CaseEvent, CaseSequence, Finding, PatrolTask
from .patrols import period_for

OPEN_STAGE = {
    CaseStatus.REPORTED: Stage.REGISTER,
    CaseStatus.REGISTERED: Stage.DISPATCH,
    CaseStatus.DISPATCHED: Stage.HANDLE,
    CaseStatus.HANDLING: Stage.HANDLE,
    CaseStatus.HANDLED: Stage.VERIFY,
    CaseStatus.VERIFIED: Stage.VERIFY,
}


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def moment(day: dt.date, rng) -> dt.datetime:
    return anji_moment(day, rng.randrange(8, 18), rng.randrange(60))


class Router:
    """The duty table's routing, asked once per category, township and area."""

    def __init__(self):
        self.cache = {}

    def __call__(self, *, category, site):
        key = (
            category.pk,
            site.township_id,
            area_kind(township=site.township, village=site.village),
        )
        if key not in self.cache:
            try:
                self.cache[key] = route(
                    category=category, township=site.township, village=site.village
                )
            except NoDutyRule:
                self.cache[key] = None
        return self.cache[key]


def number_cases(cases: list[Case]) -> None:
    """Numbers AJ2026000123 continuing each year's sequence (CaseSequence moves on too)."""
    by_year = defaultdict(list)
    for case in sorted(cases, key=lambda c: c.reported_at):
        by_year[timezone.localtime(case.reported_at).year].append(case)
    for year, year_cases in by_year.items():
        sequence, _created = CaseSequence.objects.select_for_update().get_or_create(year=year)
        for case in year_cases:
            sequence.last += 1
            case.number = f"AJ{year}{sequence.last:06d}"
        sequence.save(update_fields=["last"])


def set_lifecycle(case: Case, *, rng, today: dt.date) -> None:
    """Where a case is now: the older, the likelier closed; some dismissed; open ones at a
    stage with a deadline (calendar days, near enough for synthetic data), some past it."""
    reported_on = timezone.localtime(case.reported_at).date()
    age = (today - reported_on).days
    roll = rng.random()
    handle_by = reported_on + dt.timedelta(days=18)
    case.handling_deadline = handle_by
    if roll < 0.05:
        case.status, case.stage, case.stage_deadline = CaseStatus.DISMISSED, "", None
        return
    closed_share = min(0.95, age / 60)
    if roll < closed_share:
        took = rng.randrange(5, 40)
        closed_on = min(reported_on + dt.timedelta(days=took), today)
        case.status, case.stage, case.stage_deadline = CaseStatus.CLOSED, "", None
        case.handled_at = moment(closed_on - dt.timedelta(days=2), rng)
        case.closed_at = moment(closed_on, rng)
        case.closed_on_time = closed_on - dt.timedelta(days=2) <= handle_by
        return
    case.status = rng.choice(sorted(OPEN_STATUSES))
    case.stage = OPEN_STAGE[case.status]
    case.stage_deadline = reported_on + dt.timedelta(days=rng.randrange(3, 30))


def assist_each_other(findings: list[Finding]) -> None:
    """Cases of one report for several agencies: each lead assists the others."""
    by_inspection = defaultdict(list)
    for finding in findings:
        by_inspection[finding.inspection_id].append(finding.case)
    through = Case.assisting_agencies.through
    rows = []
    for cases in by_inspection.values():
        leads = {case.lead_agency_id for case in cases if case.lead_agency_id}
        for case in cases:
            rows += [
                through(case_id=case.pk, agency_id=lead) for lead in leads - {case.lead_agency_id}
            ]
    write_rows(through, rows)


def write_events(cases: list[Case]) -> None:
    rows = []
    for case in cases:
        rows.append(
            CaseEvent(
                case=case,
                action=CaseEventKind.REPORTED,
                to_status=CaseStatus.REPORTED,
                actor=case.reported_by,
                at=case.reported_at,
                comment=case.description,
            )
        )
        if case.status != CaseStatus.REPORTED:
            rows.append(
                CaseEvent(
                    case=case,
                    action=CaseEventKind.DEMO,
                    from_status=CaseStatus.REPORTED,
                    to_status=case.status,
                    actor=case.reported_by,
                    at=case.closed_at or case.reported_at,
                    comment="演示",
                )
            )
    write_rows(CaseEvent, rows)


def write_patrol_tasks(*, sites, plan, rng, today) -> int:
    """Monthly tasks for the operating sites over the last twelve months: most done, some
    missed (open past their due date); the current month's still open."""
    month = today.replace(day=1)
    months = []
    for _offset in range(12):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    tasks = []
    for site in sites:
        if site.status != SiteStatus.OPERATING:
            continue
        for start in months:
            _start, end = period_for(frequency=PatrolFrequency.MONTHLY, today=start)
            current = start <= today <= end
            done = not current and rng.random() < 0.85
            tasks.append(
                PatrolTask(
                    plan=plan,
                    site=site,
                    township_id=site.township_id,
                    period_start=start,
                    due_on=end,
                    status=PatrolTaskStatus.DONE if done else PatrolTaskStatus.OPEN,
                )
            )
    write_rows(PatrolTask, tasks)  # new sites: no task of theirs can be there already
    return len(tasks)
