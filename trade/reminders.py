"""The market's notifications to townships (市场异常和结算提醒), from a periodic scan.

- A mass-balance flag (balance.py) of one of a township's sites, in the last month (or, for a
  site sending on more than it had, already in the current one), is told to that township's
  officers once: the notification key is the flag's (site, month, kind, material), so a scan
  that runs again, or on two workers, tells nobody twice. A flag the township has cleared is
  not told.
- A receiving site that has not settled transfers older than TRADE_UNSETTLED_DAYS days is
  reminded to its township (on behalf of the paying site's operator) once a week while the
  backlog lasts.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Count, Min, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.choices import NotificationKind
from accounts.notifications import notify
from accounts.selectors import officers_to_notify
from sites.models import Site

from .balance import monthly_balance, previous_month
from .choices import BalanceFlagKind
from .models import Transfer

logger = logging.getLogger(__name__)


def _flag_text(flag) -> tuple[str, str]:
    values = {
        "site": flag.site.name,
        "month": f"{flag.month:%Y-%m}",
        "kind": flag.kind_label,
        "material": flag.material.name if flag.material else "",
    }
    title = _("%(site)s, %(month)s: %(kind)s") % values
    body = (
        _(
            "The mass balance of %(month)s flags %(site)s (%(kind)s). Check it with the site and "
            "clear the flag with an explanation on the balance page."
        )
        % values
    )
    return title, body


def notify_balance_flags(*, today: dt.date) -> dict:
    """Tell each township of its sites' uncleared flags, once each."""
    counts = {"flags": 0, "notified": 0}
    flags = []
    for month, kinds in (
        (previous_month(today), set(BalanceFlagKind)),
        # The month under way: only what is already certain (its end is still to come).
        (today.replace(day=1), {BalanceFlagKind.OVER_FORWARDED}),
    ):
        result = monthly_balance(user=None, month=month, sites=Site.objects.all())
        flags += [f for f in result.flags if f.clearance is None and f.kind in kinds]
    officers = officers_to_notify(township_ids={flag.site.township_id for flag in flags})
    for flag in flags:
        counts["flags"] += 1
        title, body = _flag_text(flag)
        material = flag.material.pk if flag.material else "-"
        counts["notified"] += notify(
            recipients=officers.get(flag.site.township_id, []),
            kind=NotificationKind.BALANCE_FLAG,
            title=title,
            key=f"balance-flag:{flag.site.pk}:{flag.month:%Y-%m}:{flag.kind}:{material}",
            body=body,
            link=f"{reverse('trade:balance')}?month={flag.month:%Y-%m}",
        )
    return counts


def unsettled_backlog(*, today: dt.date):
    """Per receiving (paying) site: the transfers not settled though older than
    TRADE_UNSETTLED_DAYS days, their count, amount and the oldest date (one query)."""
    before = today - dt.timedelta(days=int(settings.TRADE_UNSETTLED_DAYS))
    return (
        Transfer.objects.filter(settlement__isnull=True, transferred_on__lt=before)
        .values("to_site", "to_site__name", "to_site__township")
        .annotate(count=Count("pk"), amount=Sum("amount"), oldest=Min("transferred_on"))
        .order_by("to_site")
    )


def remind_unsettled(*, today: dt.date) -> dict:
    """Remind each paying site's township of its settlement backlog, once a week."""
    backlog = list(unsettled_backlog(today=today))
    officers = officers_to_notify(township_ids={row["to_site__township"] for row in backlog})
    year, week, _day = today.isocalendar()
    counts = {"sites": len(backlog), "notified": 0}
    for row in backlog:
        values = {
            "site": row["to_site__name"],
            "count": row["count"],
            "amount": row["amount"],
            "oldest": f"{row['oldest']:%Y-%m-%d}",
            "days": settings.TRADE_UNSETTLED_DAYS,
        }
        counts["notified"] += notify(
            recipients=officers.get(row["to_site__township"], []),
            kind=NotificationKind.SETTLEMENT_DUE,
            title=_("%(site)s has %(count)s transfers to settle") % values,
            key=f"unsettled:{row['to_site']}:{year}-W{week:02d}",
            body=_(
                "%(site)s has not settled %(count)s transfers (%(amount)s yuan) older than "
                "%(days)s days, the oldest of %(oldest)s."
            )
            % values,
            link=f"{reverse('trade:transfer-list')}?site={row['to_site']}&settled=false",
        )
    return counts


def notify_market(*, today: dt.date) -> dict:
    result = {
        "flags": notify_balance_flags(today=today),
        "unsettled": remind_unsettled(today=today),
    }
    logger.info("market notifications on %s: %s", today, result)
    return result
