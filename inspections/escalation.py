"""Escalation of overdue cases (案件超期升级).

A case whose stage deadline has passed is first brought to the party responsible for that
stage: in handling, the lead agency's officers (the township's officers when the township
leads); in registering, dispatching and verifying, which the township does, the township's
officers. When it is still overdue
`Schedule.escalation_delay_days` working days after the deadline, the leading-group office (the
commerce bureau's administrators) is told. Each level happens once per (case, stage, stage
deadline): a `CaseEscalation` row under a unique constraint records it, so a scan that runs
again, or on two workers at once, tells nobody twice; a moved deadline (an approved extension)
escalates afresh once the new deadline passes.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.choices import NotificationKind
from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import officers_to_notify
from agencies.models import Schedule
from agencies.workdays import load_calendar
from anji_recycling.anji_time import anji_today

from .choices import EscalationLevel, Stage
from .models import Case, CaseEscalation

logger = logging.getLogger(__name__)


KIND_BY_LEVEL = {
    EscalationLevel.AGENCY: NotificationKind.CASE_OVERDUE,
    EscalationLevel.OFFICE: NotificationKind.CASE_ESCALATED,
}


def escalate_overdue_cases(*, now: dt.datetime) -> dict:
    """Escalate every open case past its stage deadline on `now`'s date in Anji. Idempotent.
    Returns the counts: overdue cases, new escalations per level, notifications sent, and
    escalations that found nobody to tell."""
    today = anji_today(now)
    delay = Schedule.current().escalation_delay_days
    cases = list(
        Case.objects.overdue(today=today)
        .exclude(stage="")
        .select_related("lead_agency", "township")
        .order_by("pk")
    )
    done = set(
        CaseEscalation.objects.filter(case__in=cases).values_list(
            "case_id", "stage", "stage_deadline", "level"
        )
    )
    calendar = None  # read once per scan, and only when a case has something new
    recipients = _Recipients()
    counts = {
        "overdue": len(cases),
        "agency": 0,
        "office": 0,
        "notified": 0,
        "unreached": 0,
    }
    for case in cases:
        key = (case.pk, case.stage, case.stage_deadline)
        if (*key, EscalationLevel.AGENCY) in done and (*key, EscalationLevel.OFFICE) in done:
            continue
        calendar = calendar or load_calendar()
        late = calendar.working_days_between(case.stage_deadline, today)
        levels = [EscalationLevel.AGENCY]
        if late >= delay:
            levels.append(EscalationLevel.OFFICE)
        for level in levels:
            if (*key, level) in done:
                continue
            sent = _escalate(case=case, level=level, late=late, recipients=recipients)
            if sent is None:
                continue
            counts[level.value] += 1
            counts["notified"] += sent
            if not sent:
                counts["unreached"] += 1
    logger.info(
        "case escalation on %s: %s overdue, %s to agencies, %s to the office, %s notified, "
        "%s found nobody to tell",
        today,
        counts["overdue"],
        counts["agency"],
        counts["office"],
        counts["notified"],
        counts["unreached"],
    )
    return counts


@transaction.atomic
def _escalate(*, case: Case, level: str, late: int, recipients: "_Recipients") -> int | None:
    """Record one escalation and notify its recipients; None when another scan recorded it."""
    try:
        with transaction.atomic():
            __, created = CaseEscalation.objects.get_or_create(
                case=case, stage=case.stage, stage_deadline=case.stage_deadline, level=level
            )
    except IntegrityError:  # another worker recorded it between our read and write
        created = False
    if not created:
        return None
    if level == EscalationLevel.OFFICE:
        people = recipients.office()
    elif case.stage == Stage.HANDLE and case.lead_agency_id is not None:
        people = recipients.agency(case.lead_agency_id)
    else:
        people = recipients.township(case.township_id)
    if not people:
        logger.warning("Case %s is overdue but nobody is there to tell (%s)", case.number, level)
    return notify(
        recipients=people,
        kind=KIND_BY_LEVEL[level],
        title=_title(case=case, level=level),
        key=f"escalation:{case.pk}:{case.stage}:{case.stage_deadline:%Y-%m-%d}:{level}",
        body=_body(case=case, level=level, late=late),
        link=case.get_absolute_url(),
    )


def _title(*, case: Case, level: str) -> str:
    values = {"number": case.number, "stage": case.get_stage_display()}
    if level == EscalationLevel.OFFICE:
        return _("Case %(number)s is still overdue (%(stage)s)") % values
    return _("Case %(number)s is overdue (%(stage)s)") % values


def _body(*, case: Case, level: str, late: int) -> str:
    values = {
        "number": case.number,
        "stage": case.get_stage_display(),
        "deadline": f"{case.stage_deadline:%Y-%m-%d}",
        "late": late,
        "lead": case.lead_label,
    }
    if level == EscalationLevel.OFFICE:
        return (
            ngettext(
                "Case %(number)s (lead: %(lead)s) has passed its deadline for %(stage)s, "
                "%(deadline)s, and is %(late)s working day late. It is reported to the "
                "leading-group office.",
                "Case %(number)s (lead: %(lead)s) has passed its deadline for %(stage)s, "
                "%(deadline)s, and is %(late)s working days late. It is reported to the "
                "leading-group office.",
                late,
            )
            % values
        )
    return (
        ngettext(
            "Case %(number)s has passed its deadline for %(stage)s, %(deadline)s, and is "
            "%(late)s working day late. Finish the stage or ask for more time.",
            "Case %(number)s has passed its deadline for %(stage)s, %(deadline)s, and is "
            "%(late)s working days late. Finish the stage or ask for more time.",
            late,
        )
        % values
    )


class _Recipients:
    """The active people to tell, read once per scan for each agency, township and the office."""

    def __init__(self):
        self._agencies: dict[int, list[User]] = {}
        self._townships: dict[int, list[User]] = {}
        self._office: list[User] | None = None

    def agency(self, agency_id: int) -> list[User]:
        if agency_id not in self._agencies:
            found = officers_to_notify(agency_ids=[agency_id])
            self._agencies[agency_id] = found.get(agency_id, [])
        return self._agencies[agency_id]

    def township(self, township_id: int) -> list[User]:
        if township_id not in self._townships:
            found = officers_to_notify(township_ids=[township_id])
            self._townships[township_id] = found.get(township_id, [])
        return self._townships[township_id]

    def office(self) -> list[User]:
        if self._office is None:
            self._office = officers_to_notify().get(None, [])
        return self._office
