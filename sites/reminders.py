"""Reminders about operators' licences (经营许可与备案提醒).

Townships follow their operators: they are told when a licence is about to expire (within
`Schedule.licence_reminder_days` days, once per operator and expiry date, so a renewed licence
is reminded of again) and when an operator has not filed with the commerce bureau within
`FILING_DEADLINE_DAYS` days of its licence (once per operator). The notification keys make a
scan that runs again tell nobody twice.
"""

import datetime as dt
import logging

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.choices import NotificationKind
from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import officers_to_notify
from agencies.models import Schedule

from .models import FILING_DEADLINE_DAYS, Operator

logger = logging.getLogger(__name__)


def expiring_licences(*, today: dt.date, within_days: int):
    """Operators whose licence is still valid on `today` and ends within `within_days` days."""
    return Operator.objects.filter(
        licence_valid_until__gte=today,
        licence_valid_until__lte=today + dt.timedelta(days=within_days),
    )


def overdue_filings(*, today: dt.date):
    """Operators not filed although their filing deadline has passed before `today`."""
    return Operator.objects.filter(
        filed_on__isnull=True,
        licence_issued_on__lt=today - dt.timedelta(days=FILING_DEADLINE_DAYS),
    )


def remind_licences(*, today: dt.date) -> dict:
    """Tell each operator's township of expiring licences and overdue filings. Idempotent.
    Returns the counts: operators expiring, operators overdue with filing, notifications."""
    within = Schedule.current().licence_reminder_days
    expiring = list(expiring_licences(today=today, within_days=within).order_by("pk"))
    unfiled = list(overdue_filings(today=today).order_by("pk"))
    officers = _township_officers({op.township_id for op in [*expiring, *unfiled]})
    counts = {"expiring": len(expiring), "filing_overdue": len(unfiled), "notified": 0}
    for operator in expiring:
        counts["notified"] += _remind_expiry(
            operator=operator, today=today, recipients=officers.get(operator.township_id, [])
        )
    for operator in unfiled:
        counts["notified"] += _remind_filing(
            operator=operator, recipients=officers.get(operator.township_id, [])
        )
    logger.info(
        "licence reminders on %s: %s expiring, %s not filed, %s notified",
        today,
        counts["expiring"],
        counts["filing_overdue"],
        counts["notified"],
    )
    return counts


def _remind_expiry(*, operator: Operator, today: dt.date, recipients: list[User]) -> int:
    values = {
        "name": operator.name,
        "date": f"{operator.licence_valid_until:%Y-%m-%d}",
        "days": (operator.licence_valid_until - today).days,
    }
    return notify(
        recipients=recipients,
        kind=NotificationKind.LICENCE_EXPIRING,
        title=_("The licence of %(name)s expires on %(date)s") % values,
        key=f"licence-expiring:{operator.pk}:{operator.licence_valid_until:%Y-%m-%d}",
        body=ngettext(
            "The licence of %(name)s expires on %(date)s, in %(days)s day. "
            "Remind the operator to renew it in time.",
            "The licence of %(name)s expires on %(date)s, in %(days)s days. "
            "Remind the operator to renew it in time.",
            values["days"],
        )
        % values,
        link=operator.get_absolute_url(),
    )


def _remind_filing(*, operator: Operator, recipients: list[User]) -> int:
    values = {
        "name": operator.name,
        "issued": f"{operator.licence_issued_on:%Y-%m-%d}",
        "due": f"{operator.filing_due_on:%Y-%m-%d}",
        "days": FILING_DEADLINE_DAYS,
    }
    return notify(
        recipients=recipients,
        kind=NotificationKind.FILING_OVERDUE,
        title=_("%(name)s has not filed with the commerce bureau") % values,
        key=f"filing-overdue:{operator.pk}",
        body=_(
            "%(name)s got its licence on %(issued)s and should have filed with the commerce "
            "bureau within %(days)s days, by %(due)s. Ask the operator to file."
        )
        % values,
        link=operator.get_absolute_url(),
    )


def _township_officers(township_ids: set[int]) -> dict[int, list[User]]:
    return officers_to_notify(township_ids=township_ids)
