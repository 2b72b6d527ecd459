"""The case figures: the headline counts, the breakdowns by category and by lead agency, and the
monthly trend.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from inspections.choices import CaseStatus
from inspections.models import Case, open_case_condition, overdue_case_condition
from sites.coverage import percent

from .. import links
from ..periods import Period
from .scope import once_each, within

#
# Two scans of the cases the user sees, whatever the dashboard shows: one GROUP BY category and
# lead agency for the headline figures and the two breakdowns, one GROUP BY month for the trend.


@dataclass(frozen=True)
class CaseFigures:
    open: int
    overdue: int
    reported: int  # in the period
    closed: int  # in the period
    closed_on_time: int  # of those closed in the period
    provisional: int  # open, with a stage deadline counted with a year not known yet
    open_url: str
    overdue_url: str
    reported_url: str
    closed_url: str
    closed_late_url: str
    provisional_url: str

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent(self.closed_on_time, self.closed)

    @property
    def closed_late(self) -> int:
        return self.closed - self.closed_on_time


@dataclass(frozen=True)
class CaseGroup:
    """Cases of one category or one lead agency: reported in the period, open and overdue now."""

    id: int | None
    name: str
    reported: int
    open: int
    overdue: int
    url: str  # the cases reported in the period
    overdue_url: str


# The case list's `lead_agency` filter takes this for "the township leads" (no lead agency).
TOWNSHIP_LEADS = "null"
COUNTED = ("reported", "open", "overdue", "closed", "closed_on_time", "provisional")


def _closed_in(period: Period) -> Q:
    return Q(status=CaseStatus.CLOSED) & within(period, "closed_at")


def case_counts(*, user, period: Period, today: dt.date) -> list[dict]:
    """The cases the user sees, by category and lead agency: reported in the period, open and
    overdue now, closed (and closed on time) in the period. One GROUP BY over the cases that
    count for any of these."""
    reported, closed = within(period, "reported_at"), _closed_in(period)
    return list(
        once_each(Case.objects.visible_to(user))
        .filter(reported | open_case_condition() | closed)
        .order_by()
        .values(
            "category_id",
            "category__name",
            "category__sort_order",
            "lead_agency_id",
            "lead_agency__name",
            "lead_agency__sort_order",
        )
        .annotate(
            reported=Count("pk", filter=reported),
            open=Count("pk", filter=open_case_condition()),
            overdue=Count("pk", filter=overdue_case_condition(today=today)),
            closed=Count("pk", filter=closed),
            closed_on_time=Count("pk", filter=closed & Q(closed_on_time=True)),
            provisional=Count(
                "pk", filter=open_case_condition() & Q(stage_deadline_provisional=True)
            ),
        )
    )


def case_figures(counts: list[dict], *, period: Period) -> CaseFigures:
    """Open and overdue cases now; reported, closed and closed on time in the period."""
    return CaseFigures(
        **{name: sum(row[name] for row in counts) for name in COUNTED},
        open_url=links.case_list(open="true"),
        overdue_url=links.case_list(overdue="true"),
        reported_url=links.case_list(**links.reported_in(period)),
        closed_url=links.case_list(**links.closed_in(period)),
        closed_late_url=links.case_list(**links.closed_in(period), closed_on_time="false"),
        provisional_url=links.case_list(open="true", deadline_provisional="true"),
    )


def _groups(counts: list[dict], *, key: str, period: Period, make_link) -> list[CaseGroup]:
    """`counts` folded by `key` (category or lead_agency), in that table's order; the groups with
    no case reported in the period and none open are left out."""
    folded = {}
    for row in counts:
        group = folded.setdefault(
            row[f"{key}_id"],
            {
                "name": row[f"{key}__name"],
                "order": (row[f"{key}__sort_order"] or 0, row[f"{key}_id"] or 0),
                "reported": 0,
                "open": 0,
                "overdue": 0,
            },
        )
        for name in ("reported", "open", "overdue"):
            group[name] += row[name]
    ordered = sorted(folded.items(), key=lambda item: item[1]["order"])
    return [
        CaseGroup(
            id=group_id,
            name=group["name"] or _("Township (territorial lead)"),
            reported=group["reported"],
            open=group["open"],
            overdue=group["overdue"],
            url=links.case_list(**make_link(group_id), **links.reported_in(period)),
            overdue_url=links.case_list(**make_link(group_id), overdue="true"),
        )
        for group_id, group in ordered
        if group["reported"] or group["open"]
    ]


def cases_by_category(counts: list[dict], *, period: Period) -> list[CaseGroup]:
    return _groups(counts, key="category", period=period, make_link=lambda pk: {"category": pk})


def cases_by_lead_agency(counts: list[dict], *, period: Period) -> list[CaseGroup]:
    """By lead agency; the cases a township leads (illegal buildings, poor management) are one
    group, "the township" (id None)."""
    return _groups(
        counts,
        key="lead_agency",
        period=period,
        make_link=lambda pk: {"lead_agency": TOWNSHIP_LEADS if pk is None else pk},
    )


@dataclass(frozen=True)
class MonthTrend:
    month: str  # YYYY-MM
    label: str
    reported: int
    closed: int
    closed_on_time: int
    reported_url: str
    closed_url: str

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent(self.closed_on_time, self.closed)


def _month_start(value) -> dt.date | None:
    """A TruncMonth value (an aware datetime in the county's time zone) as the month's first day."""
    return value.date() if isinstance(value, dt.datetime) else value


def monthly_trend(*, user, period: Period) -> list[MonthTrend]:
    """Cases reported and closed (and closed on time) in each of the twelve months that end
    with the period, by month in the county's time zone: one GROUP BY (month reported, month
    closed) over the cases reported or closed in those months."""
    months = period.trend_months()
    start_at, end_at = months[0].start_at, months[-1].end_at
    closed = Q(status=CaseStatus.CLOSED)
    rows = (
        once_each(Case.objects.visible_to(user))
        .filter(
            Q(reported_at__gte=start_at, reported_at__lt=end_at)
            | (closed & Q(closed_at__gte=start_at, closed_at__lt=end_at))
        )
        .order_by()
        .values(reported_month=TruncMonth("reported_at"), closed_month=TruncMonth("closed_at"))
        .annotate(
            n=Count("pk"),
            closed=Count("pk", filter=closed),
            on_time=Count("pk", filter=closed & Q(closed_on_time=True)),
        )
    )
    reported, closed_in, on_time = Counter(), Counter(), Counter()
    for row in rows:
        reported[_month_start(row["reported_month"])] += row["n"]
        closed_in[_month_start(row["closed_month"])] += row["closed"]
        on_time[_month_start(row["closed_month"])] += row["on_time"]
    return [
        MonthTrend(
            month=month.key,
            label=month.label,
            reported=reported[month.start],
            closed=closed_in[month.start],
            closed_on_time=on_time[month.start],
            reported_url=links.case_list(**links.reported_in(month)),
            closed_url=links.case_list(**links.closed_in(month)),
        )
        for month in months
    ]
