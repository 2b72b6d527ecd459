"""The dashboards' figures (领导驾驶舱). Selectors only: each figure is one SQL aggregate over the
rows the user may see (`visible_to(user)`), so a dashboard runs the same number of queries
however much data there is.

Which figures follow the period and which are read as of today:

- as of today: sites by tier and status, coverage and illegal points (the registry keeps each
  status change but no point-in-time status; see sites/coverage.py), open and overdue cases,
  open patrol tasks past their due date;
- in the period: cases reported and closed, the on-time closure rate, patrol tasks due and done,
  cases by category and by lead agency, and the year whose coverage target applies;
- the trend: the twelve months that end with the period.

A leader, assessor or the commerce bureau sees the county; township staff their township (the
scoping of `visible_to`); an agency officer only the cases routed to their agency (lead or
assisting), and none of the registry's figures.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_agency_officer, township_scope
from assessments.selectors import latest_published_ranking
from inspections.choices import CaseStatus, PatrolTaskStatus
from inspections.models import Case, PatrolTask, open_case_condition, overdue_case_condition
from network.selectors import NetworkProgress, network_progress
from sites.choices import SiteStatus, SiteTier
from sites.coverage import CoverageReport, coverage_for_year, percent
from sites.models import Site
from trade.selectors import MarketFigures, market_figures

from . import links
from .choices import DashboardKind
from .periods import Period

# Scope ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose dashboard: the county's, one township's, or one agency's cases."""

    kind: str
    township: object = None  # agencies.Township
    agency: object = None  # agencies.Agency

    @property
    def name(self) -> str:
        if self.kind == DashboardKind.TOWNSHIP:
            return self.township.name
        if self.kind == DashboardKind.AGENCY:
            return self.agency.name
        return _("Anji County")

    @property
    def shows_registry(self) -> bool:
        """Sites, coverage and patrols: not on an agency's dashboard of its cases."""
        return self.kind != DashboardKind.AGENCY


def dashboard_scope(*, user) -> Scope:
    """One condition a line, as `visible_to` decides: an agency officer's cases, a township's
    staff their township, everyone else with a role the county."""
    if is_agency_officer(user):
        return Scope(kind=DashboardKind.AGENCY, agency=user.agency)
    if township_scope(user) is not None:
        return Scope(kind=DashboardKind.TOWNSHIP, township=user.township)
    return Scope(kind=DashboardKind.COUNTY)


def _once_each(queryset):
    """The rows of a `visible_to` queryset, each once. An agency's scope joins the assisting
    agencies and asks for DISTINCT, which a GROUP BY does not apply before counting."""
    if queryset.query.distinct:
        return queryset.model.objects.filter(pk__in=queryset.values("pk"))
    return queryset


def _in(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start_at, f"{field}__lt": period.end_at})


# Sites ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierCount:
    tier: int
    label: str
    total: int
    operating: int
    url: str


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class TierStatuses:
    """One tier's sites by status (the statuses some site has, in the registry's order)."""

    tier: int
    label: str
    total: int
    by_status: list[StatusCount]
    url: str


@dataclass(frozen=True)
class TownshipSites:
    township_id: int
    name: str
    total: int
    by_tier: list[TierCount]
    url: str


@dataclass(frozen=True)
class SiteFigures:
    total: int
    by_tier: list[TierCount]
    by_status: list[StatusCount]
    by_tier_and_status: list[TierStatuses]
    by_township: list[TownshipSites]
    illegal_points: int
    illegal_points_url: str
    url: str


def site_figures(*, user, townships) -> SiteFigures:
    """Sites by tier and status, and by township and tier: one GROUP BY. `townships`: the
    townships to list (those of the user's territory, in order), with `pk` and `name`."""
    # Every sub-total at once: (township, tier, status) with None for "any".
    totals = Counter()
    for row in (
        Site.objects.visible_to(user)
        .order_by()
        .values("township_id", "tier", "status")
        .annotate(n=Count("pk"))
    ):
        for township_id, tier, status in product(
            (None, row["township_id"]), (None, row["tier"]), (None, row["status"])
        ):
            totals[township_id, tier, status] += row["n"]

    def total(township_id=None, tier=None, status=None) -> int:
        return totals[township_id, tier, status]

    def tiers(township_id=None) -> list[TierCount]:
        return [
            TierCount(
                tier=tier.value,
                label=str(tier.label),
                total=total(township_id, tier.value),
                operating=total(township_id, tier.value, SiteStatus.OPERATING),
                url=links.site_list(township=township_id, tier=tier.value),
            )
            for tier in SiteTier
        ]

    def statuses(tier=None) -> list[StatusCount]:
        return [
            StatusCount(
                status=status.value,
                label=str(status.label),
                count=total(tier=tier, status=status.value),
                url=links.site_list(tier=tier, status=status.value),
            )
            for status in present
        ]

    present = [status for status in SiteStatus if total(status=status.value)]
    return SiteFigures(
        total=total(),
        by_tier=tiers(),
        by_status=statuses(),
        by_tier_and_status=[
            TierStatuses(
                tier=tier.value,
                label=str(tier.label),
                total=total(tier=tier.value),
                by_status=statuses(tier.value),
                url=links.site_list(tier=tier.value),
            )
            for tier in SiteTier
        ],
        by_township=[
            TownshipSites(
                township_id=township.pk,
                name=township.name,
                total=total(township.pk),
                by_tier=tiers(township.pk),
                url=links.site_list(township=township.pk),
            )
            for township in townships
        ],
        illegal_points=total(status=SiteStatus.ILLEGAL),
        illegal_points_url=links.site_list(status=SiteStatus.ILLEGAL.value),
        url=links.site_list(),
    )


# Coverage ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageFigures:
    year: int
    village_count: int
    served_village_count: int
    unserved_village_count: int
    percent: Decimal | None
    target_percent: Decimal
    meets_target: bool
    township_count: int
    townships_with_transfer_station: int
    url: str
    unserved_url: str


def coverage_figures(report: CoverageReport) -> CoverageFigures:
    county = report.county
    return CoverageFigures(
        year=report.year,
        village_count=county.village_count,
        served_village_count=county.served_village_count,
        unserved_village_count=county.unserved_village_count,
        percent=county.coverage_percent,
        target_percent=report.targets.village_coverage_percent,
        meets_target=county.meets_coverage_target,
        township_count=county.township_count,
        townships_with_transfer_station=county.townships_with_transfer_station,
        url=links.coverage(year=report.year),
        unserved_url=links.coverage(year=report.year, anchor="unserved-villages"),
    )


# Cases ------------------------------------------------------------------------------------------
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
    return Q(status=CaseStatus.CLOSED) & _in(period, "closed_at")


def case_counts(*, user, period: Period, today: dt.date) -> list[dict]:
    """The cases the user sees, by category and lead agency: reported in the period, open and
    overdue now, closed (and closed on time) in the period. One GROUP BY over the cases that
    count for any of these."""
    reported, closed = _in(period, "reported_at"), _closed_in(period)
    return list(
        _once_each(Case.objects.visible_to(user))
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
        _once_each(Case.objects.visible_to(user))
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


# Patrols ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatrolFigures:
    due: int  # tasks of the period whose due date has passed, or done already (not cancelled)
    done: int  # of those, done: a report filed within the task's period
    overdue: int  # open tasks past their due date, now
    url: str

    @property
    def on_cadence_percent(self) -> Decimal | None:
        return percent(self.done, self.due)


def patrol_figures(*, user, period: Period, today: dt.date) -> PatrolFigures:
    """Patrol tasks due in the period and how many were done on cadence; one aggregate. A task
    still open before its due date is not late yet and does not count against the rate."""
    due = (
        Q(due_on__gte=period.start, due_on__lte=period.end)
        & ~Q(status=PatrolTaskStatus.CANCELLED)
        & (Q(due_on__lt=today) | Q(status=PatrolTaskStatus.DONE))
    )
    counts = PatrolTask.objects.visible_to(user).aggregate(
        due=Count("pk", filter=due),
        done=Count("pk", filter=due & Q(status=PatrolTaskStatus.DONE)),
        overdue=Count("pk", filter=Q(status=PatrolTaskStatus.OPEN, due_on__lt=today)),
    )
    return PatrolFigures(**counts, url=links.patrols())


# Assessment (考核) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingEntry:
    township_id: int
    name: str
    rank: int
    total: Decimal
    grade: str
    change: Decimal | None  # points since the previous comparable period
    rank_change: int | None  # places gained since then


@dataclass(frozen=True)
class AssessmentRanking:
    """The latest published township ranking (考核排名)."""

    period: str
    end_date: dt.date
    url: str
    rows: list[RankingEntry]

    @property
    def top(self) -> list[RankingEntry]:
        return self.rows[:3]


def latest_assessment_ranking(*, user) -> AssessmentRanking | None:
    """The latest published township ranking, or None when none is published (or the user
    has no part in the assessment), from the assessments app's `latest_published_ranking`."""
    period, rows = latest_published_ranking(user=user)
    if period is None:
        return None
    return AssessmentRanking(
        period=str(period),
        end_date=period.end_date,
        url=period.get_absolute_url(),
        rows=[
            RankingEntry(
                township_id=row.result.township_id,
                name=row.result.township.name,
                rank=row.result.rank,
                total=row.result.total,
                grade=row.result.grade,
                change=row.change,
                rank_change=row.rank_change,
            )
            for row in rows
        ],
    )


# The whole dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Headlines:
    """What the page shows at the top, in a fixed number of queries."""

    scope: Scope
    period: Period
    today: dt.date
    cases: CaseFigures
    sites: SiteFigures | None = None
    coverage: CoverageFigures | None = None
    patrols: PatrolFigures | None = None
    assessment: AssessmentRanking | None = None
    market: MarketFigures | None = None
    network: NetworkProgress | None = None


@dataclass(frozen=True)
class Dashboard:
    """The headlines and the charts' data: what the JSON endpoint returns."""

    headlines: Headlines
    cases_by_category: list[CaseGroup]
    cases_by_lead_agency: list[CaseGroup]
    trend: list[MonthTrend]


def dashboard_headlines(
    *, user, period: Period, today: dt.date | None = None, case_rows: list[dict] | None = None
) -> Headlines:
    """The page's figures. Queries: the scope's township or agency (one, for those dashboards)
    and the cases (one); for the county and township dashboards also coverage (two), sites
    (one), patrols (one) and the assessment ranking (the assessments app's). `case_rows`: the
    `case_counts` already read, if any."""
    today = today or timezone.localdate()
    scope = dashboard_scope(user=user)
    if case_rows is None:
        case_rows = case_counts(user=user, period=period, today=today)
    cases = case_figures(case_rows, period=period)
    if not scope.shows_registry:
        return Headlines(scope=scope, period=period, today=today, cases=cases)
    report = coverage_for_year(user=user, year=period.year)
    return Headlines(
        scope=scope,
        period=period,
        today=today,
        cases=cases,
        sites=site_figures(user=user, townships=[row.township for row in report.townships]),
        coverage=coverage_figures(report),
        patrols=patrol_figures(user=user, period=period, today=today),
        assessment=latest_assessment_ranking(user=user),
        market=market_figures(user=user, start=period.start, end=period.end, today=today),
        network=network_progress(
            user=user, target_year=settings.NETWORK_TARGET_YEAR, coverage=report
        ),
    )


def dashboard_data(*, user, period: Period, today: dt.date | None = None) -> Dashboard:
    """Everything the page and its charts show: the headlines, the cases by category and by
    lead agency (from the headlines' case counts) and the monthly trend (one more GROUP BY)."""
    today = today or timezone.localdate()
    case_rows = case_counts(user=user, period=period, today=today)
    return Dashboard(
        headlines=dashboard_headlines(user=user, period=period, today=today, case_rows=case_rows),
        cases_by_category=cases_by_category(case_rows, period=period),
        cases_by_lead_agency=cases_by_lead_agency(case_rows, period=period),
        trend=monthly_trend(user=user, period=period),
    )
