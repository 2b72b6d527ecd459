"""Indicator computations: one small registered function per indicator kind.

Each takes the indicator (its maximum points and parameters) and the period's context, and
returns a `Measure` per township: what was counted, out of how many, the points, and the ids
of the records behind them, so that a township can see why it got its score. Every function
counts in SQL, grouped by township, in one query however many sites, inspections or cases
there are.

What the words mean in this portal:
- an *operating* site is one whose status at the end of the period was 运营中 (read from the
  site's status timeline, SiteStatusChange, not from today's status);
- a village is *served* when an operating collection point (tier 3) lies in it;
- an *illegal point remaining* is a site whose status at the end of the period was 非法点位;
- a patrol task is *done on cadence* when a report on its site completed it within its own
  period (PatrolTask status 已完成: inspections.patrols completes tasks only then); tasks due
  in the period count once their due date has passed, cancelled tasks not at all;
- 按期结案率 = cases closed on time / (cases due − cases with an approved postponement), as in
  digital city management: a case is *due* when its handling deadline (extensions included)
  falls in the period and has passed; it is *on time* when it is closed and was handled by
  that deadline (Case.closed_on_time);
- a *rectification* is a rectification order (责令整改) whose deadline falls in the period
  and has passed; it is *verified* when its case was then verified on site (核查通过).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    Exists,
    F,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from agencies.models import Village
from inspections.choices import (
    CaseEventKind,
    CaseStatus,
    EnforcementKind,
    PatrolTaskStatus,
    RequestKind,
    RequestState,
)
from inspections.models import Case as EnforcementCase
from inspections.models import CaseEvent, CaseRequest, EnforcementAction, PatrolTask
from sites.choices import SiteStatus, SiteTier
from sites.models import Site, SiteStatusChange

from .choices import DeductionState, IndicatorKind

POINTS_STEP = Decimal("0.01")
ZERO = Decimal(0)


def quantize(value: Decimal) -> Decimal:
    return Decimal(value).quantize(POINTS_STEP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Context:
    """What every computation needs to know about the period."""

    township_ids: tuple[int, ...]
    period_id: int
    start: dt.date
    end: dt.date
    start_at: dt.datetime  # the period as aware datetimes, [start_at, end_at)
    end_at: dt.datetime
    as_of: dt.date  # the last day counted: the period's end, or yesterday while it runs


@dataclass
class Measure:
    raw_points: Decimal
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None
    note: str = ""
    evidence: dict = field(default_factory=dict)


Computation = Callable[..., dict[int, Measure]]
REGISTRY: dict[str, Computation] = {}


def register(kind: str):
    def decorator(function: Computation) -> Computation:
        REGISTRY[kind] = function
        return function

    return decorator


def compute_indicator(*, indicator, context: Context) -> dict[int, Measure]:
    """The measure of one indicator for every township of the context."""
    computation = REGISTRY.get(indicator.kind)
    if computation is None:
        raise ValueError(f"No computation registered for indicator kind {indicator.kind!r}")
    return computation(indicator=indicator, context=context)


# Shared pieces ---------------------------------------------------------------------------------


def sites_with_status_at(moment: dt.datetime):
    """Sites annotated with `status_then`: their status just before `moment`, from the status
    timeline (a site registered later has none); a site without any timeline entry (never
    the case through the services) falls back to its current status if it existed then."""
    latest = (
        SiteStatusChange.objects.filter(site_id=OuterRef("pk"), at__lt=moment)
        .order_by("-at", "-pk")
        .values("to_status")[:1]
    )
    untracked = Case(
        When(
            Q(created_at__lt=moment)
            & ~Exists(SiteStatusChange.objects.filter(site_id=OuterRef("pk"))),
            then=F("status"),
        ),
        default=None,
    )
    return Site.objects.annotate(status_then=Coalesce(Subquery(latest), untracked))


class JsonGroupArray(Aggregate):
    """SQLite's JSON_GROUP_ARRAY: the demo database's stand-in for PostgreSQL's ARRAY_AGG."""

    function = "JSON_GROUP_ARRAY"
    allow_distinct = True
    output_field = JSONField()


def id_list(field: str, *, filter: Q | None = None, distinct: bool = False):
    """The ids of each group's rows as a list, in one query: ARRAY_AGG on PostgreSQL (the
    production database), JSON_GROUP_ARRAY on SQLite (the embedded database of `make demo`).
    Callers sort the list; an empty group gives an empty list."""
    if connection.vendor == "postgresql":
        return ArrayAgg(field, filter=filter, distinct=distinct, order_by=field, default=Value([]))
    return JsonGroupArray(field, filter=filter, distinct=distinct)


def grouped_counts(queryset, *, township_field: str, counted: Q, excluded: Q | None = None):
    """Per township (one query): how many rows, how many of them counted, and the ids of the
    counted, not counted and excluded rows."""
    excluded = excluded if excluded is not None else Q(pk__in=[])
    kept = ~excluded
    rows = (
        queryset.order_by()
        .values(township_field)
        .annotate(
            n_kept=Count("pk", filter=kept, distinct=True),
            n_counted=Count("pk", filter=kept & counted, distinct=True),
            counted_ids=id_list("pk", filter=kept & counted, distinct=True),
            not_counted_ids=id_list("pk", filter=kept & ~counted, distinct=True),
            excluded_ids=id_list("pk", filter=excluded, distinct=True),
        )
    )
    return {row[township_field]: row for row in rows}


def _evidence(model: str, row: dict | None) -> dict:
    row = row or {}
    return {
        "model": model,
        "counted": sorted(row.get("counted_ids") or []),
        "not_counted": sorted(row.get("not_counted_ids") or []),
        "excluded": sorted(row.get("excluded_ids") or []),
    }


def rate_measures(*, indicator, context: Context, rows: dict, model: str, nothing_note: str):
    """Points = maximum × counted / due; full marks when nothing was due."""
    measures = {}
    for township_id in context.township_ids:
        row = rows.get(township_id)
        due = row["n_kept"] if row else 0
        done = row["n_counted"] if row else 0
        if due:
            value = quantize(Decimal(100) * done / due)
            points = quantize(indicator.max_points * done / due)
            note = ""
        else:
            value, points, note = None, quantize(indicator.max_points), nothing_note
        measures[township_id] = Measure(
            raw_points=points,
            numerator=done,
            denominator=due,
            value=value,
            note=note,
            evidence=_evidence(model, row),
        )
    return measures


# The computations ------------------------------------------------------------------------------


@register(IndicatorKind.VILLAGE_COVERAGE)
def village_coverage(*, indicator, context: Context) -> dict[int, Measure]:
    """Share of the township's (current) villages and communities in which an operating
    collection point lay at the end of the period."""
    operating_points = sites_with_status_at(context.end_at).filter(
        tier=SiteTier.COLLECTION_POINT, status_then=SiteStatus.OPERATING, village_id=OuterRef("pk")
    )
    villages = Village.objects.filter(
        is_active=True, township_id__in=context.township_ids
    ).annotate(served=Exists(operating_points))
    rows = grouped_counts(villages, township_field="township_id", counted=Q(served=True))
    return rate_measures(
        indicator=indicator,
        context=context,
        rows=rows,
        model="agencies.village",
        nothing_note=_("The township has no village or community on record: full marks."),
    )


@register(IndicatorKind.TRANSFER_STATION)
def transfer_station(*, indicator, context: Context) -> dict[int, Measure]:
    """Full marks when at least one transfer station (tier 2) was operating at the end of the
    period, none otherwise."""
    stations = sites_with_status_at(context.end_at).filter(
        tier=SiteTier.TRANSFER_STATION, township_id__in=context.township_ids
    )
    rows = grouped_counts(
        stations, township_field="township_id", counted=Q(status_then=SiteStatus.OPERATING)
    )
    measures = {}
    for township_id in context.township_ids:
        row = rows.get(township_id)
        operating = row["n_counted"] if row else 0
        measures[township_id] = Measure(
            raw_points=quantize(indicator.max_points if operating else ZERO),
            numerator=operating,
            denominator=1,
            value=Decimal(operating),
            note="" if operating else _("No transfer station was operating."),
            evidence={**_evidence("sites.site", row), "not_counted": []},
        )
    return measures


@register(IndicatorKind.ILLEGAL_POINTS)
def illegal_points(*, indicator, context: Context) -> dict[int, Measure]:
    """Maximum minus the deduction per point for each site still an illegal point at the
    end of the period (never below zero)."""
    sites = sites_with_status_at(context.end_at).filter(
        township_id__in=context.township_ids, status_then=SiteStatus.ILLEGAL
    )
    rows = grouped_counts(sites, township_field="township_id", counted=Q(pk__isnull=False))
    per_point = indicator.points_per_item or ZERO
    measures = {}
    for township_id in context.township_ids:
        row = rows.get(township_id)
        remaining = row["n_counted"] if row else 0
        measures[township_id] = Measure(
            raw_points=quantize(max(ZERO, indicator.max_points - per_point * remaining)),
            numerator=remaining,
            value=Decimal(remaining),
            evidence=_evidence("sites.site", row),
        )
    return measures


@register(IndicatorKind.PATROLS_ON_CADENCE)
def patrols_on_cadence(*, indicator, context: Context) -> dict[int, Measure]:
    """Share of the patrol tasks due in the period (and past due) that were done on cadence."""
    tasks = PatrolTask.objects.filter(
        township_id__in=context.township_ids,
        due_on__gte=context.start,
        due_on__lte=context.end,
    ).filter(
        Q(status=PatrolTaskStatus.DONE) | Q(status=PatrolTaskStatus.OPEN, due_on__lte=context.as_of)
    )
    rows = grouped_counts(
        tasks, township_field="township_id", counted=Q(status=PatrolTaskStatus.DONE)
    )
    return rate_measures(
        indicator=indicator,
        context=context,
        rows=rows,
        model="inspections.patroltask",
        nothing_note=_("No patrol task fell due in the period: full marks."),
    )


@register(IndicatorKind.CASES_ON_TIME)
def cases_on_time(*, indicator, context: Context) -> dict[int, Measure]:
    """按期结案率 = closed on time / (due − approved postponements)."""
    postponed = CaseRequest.objects.filter(
        case_id=OuterRef("pk"), kind=RequestKind.POSTPONEMENT, state=RequestState.APPROVED
    )
    cases = (
        EnforcementCase.objects.filter(
            township_id__in=context.township_ids,
            handling_deadline__gte=context.start,
            handling_deadline__lte=context.end,
        )
        .exclude(status=CaseStatus.DISMISSED)
        .filter(Q(handling_deadline__lte=context.as_of) | Q(status=CaseStatus.CLOSED))
        .annotate(postponed=Exists(postponed))
    )
    rows = grouped_counts(
        cases,
        township_field="township_id",
        counted=Q(status=CaseStatus.CLOSED, closed_on_time=True),
        excluded=Q(postponed=True),
    )
    return rate_measures(
        indicator=indicator,
        context=context,
        rows=rows,
        model="inspections.case",
        nothing_note=_("No case fell due in the period: full marks."),
    )


@register(IndicatorKind.RECTIFICATIONS_VERIFIED)
def rectifications_verified(*, indicator, context: Context) -> dict[int, Measure]:
    """Share of the rectification orders due in the period (and past due) whose case was
    verified on site after the order."""
    verified = CaseEvent.objects.filter(
        case_id=OuterRef("case_id"),
        action=CaseEventKind.VERIFY_PASS,
        at__gte=OuterRef("recorded_at"),
    )
    orders = EnforcementAction.objects.filter(
        kind=EnforcementKind.RECTIFICATION_ORDER,
        case__township_id__in=context.township_ids,
        rectify_by__gte=context.start,
        rectify_by__lte=min(context.end, context.as_of),
    ).annotate(verified=Exists(verified))
    rows = grouped_counts(orders, township_field="case__township_id", counted=Q(verified=True))
    return rate_measures(
        indicator=indicator,
        context=context,
        rows=rows,
        model="inspections.enforcementaction",
        nothing_note=_("No rectification order fell due in the period: full marks."),
    )


@register(IndicatorKind.ASSESSOR_DEDUCTIONS)
def assessor_deductions(*, indicator, context: Context) -> dict[int, Measure]:
    """Maximum minus the assessors' deductions in force (never below zero)."""
    from .models import Deduction

    deductions = Deduction.objects.filter(
        period_id=context.period_id, indicator=indicator, state=DeductionState.ACTIVE
    )
    rows = {
        row["township_id"]: row
        for row in deductions.order_by()
        .values("township_id")
        .annotate(
            deducted=Sum("points"),
            n=Count("pk"),
            counted_ids=id_list("pk"),
        )
    }
    measures = {}
    for township_id in context.township_ids:
        row = rows.get(township_id)
        deducted = row["deducted"] if row else ZERO
        measures[township_id] = Measure(
            raw_points=quantize(max(ZERO, indicator.max_points - deducted)),
            numerator=row["n"] if row else 0,
            value=quantize(deducted),
            evidence=_evidence("assessments.deduction", row),
        )
    return measures


# The recycling market ---------------------------------------------------------------------------


@register(IndicatorKind.POINTS_DELIVERING)
def points_delivering(*, indicator, context: Context) -> dict[int, Measure]:
    """Share of the collection points operating at the end of the period that delivered at
    least once in it (a transfer to their station)."""
    from trade.models import Transfer

    delivered = Transfer.objects.filter(
        from_site_id=OuterRef("pk"),
        transferred_on__gte=context.start,
        transferred_on__lte=context.as_of,
    )
    points = (
        sites_with_status_at(context.end_at)
        .filter(
            tier=SiteTier.COLLECTION_POINT,
            status_then=SiteStatus.OPERATING,
            township_id__in=context.township_ids,
        )
        .annotate(delivered=Exists(delivered))
    )
    rows = grouped_counts(points, township_field="township_id", counted=Q(delivered=True))
    return rate_measures(
        indicator=indicator,
        context=context,
        rows=rows,
        model="sites.site",
        nothing_note=_("No collection point was operating: full marks."),
    )


@register(IndicatorKind.BALANCE_FLAGS)
def balance_flags(*, indicator, context: Context) -> dict[int, Measure]:
    """Maximum minus the deduction per flag for each mass-balance flag of the township's
    stations in the period's months (sent on more than received, stock beyond capacity): the
    month's balance once per month, in a fixed number of queries per month."""
    from trade.balance import monthly_balance
    from trade.choices import BalanceFlagKind

    counted = {township_id: [] for township_id in context.township_ids}
    sites = Site.objects.filter(township_id__in=context.township_ids)
    month = context.start.replace(day=1)
    while month <= context.as_of:
        for flag in monthly_balance(user=None, month=month, sites=sites).flags:
            if flag.kind != BalanceFlagKind.IDLE_POINT:
                counted[flag.site.township_id].append(flag.site.pk)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    per_flag = indicator.points_per_item or ZERO
    return {
        township_id: Measure(
            raw_points=quantize(max(ZERO, indicator.max_points - per_flag * len(flagged))),
            numerator=len(flagged),
            value=Decimal(len(flagged)),
            evidence={
                "model": "sites.site",
                "counted": sorted(set(flagged)),
                "not_counted": [],
                "excluded": [],
            },
        )
        for township_id, flagged in counted.items()
    }


# Publicity (四（三）) -------------------------------------------------------------------------


@register(IndicatorKind.PUBLICITY_ACTIVITIES)
def publicity_activities(*, indicator, context: Context) -> dict[int, Measure]:
    """Publicity activities held in the period by or in the township (online and offline):
    `points_per_item` for each, up to the maximum; without it, full marks for at least one."""
    from support.models import PublicityActivity

    activities = PublicityActivity.objects.filter(
        township_id__in=context.township_ids,
        held_on__gte=context.start,
        held_on__lte=context.as_of,
    )
    held = {
        row["township_id"]: row
        for row in activities.order_by()
        .values("township_id")
        .annotate(count=Count("pk"), ids=ArrayAgg("pk", order_by="pk"))
    }
    measures = {}
    for township_id in context.township_ids:
        row = held.get(township_id, {"count": 0, "ids": []})
        count = row["count"]
        if indicator.points_per_item:
            points = min(indicator.max_points, indicator.points_per_item * count)
        else:
            points = indicator.max_points if count else ZERO
        measures[township_id] = Measure(
            raw_points=quantize(points),
            numerator=count,
            value=Decimal(count),
            evidence={
                "model": "support.publicityactivity",
                "counted": list(row["ids"]),
                "not_counted": [],
                "excluded": [],
            },
        )
    return measures
