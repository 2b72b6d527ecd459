"""Coverage of the three-tier network against the year's targets (覆盖率): per township, the
villages and communities served by an operating collection point, whether an operating transfer
station exists, and the illegal points still to be dealt with; and the same for the county.

Selectors only: every count is made by the database, in a fixed number of queries however many
sites and villages there are (one for the target, one for the townships, one for a village list).

"Served" reads the sites' *current* status: the registry keeps each status change
(SiteStatusChange) but has no point-in-time status query yet, so the year chooses the targets a
report is measured against, not the date of the statuses. A report for a past year therefore
shows today's network against that year's targets, and says so (`CoverageReport.as_of`).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import township_scope
from agencies.models import Township, Village

from .choices import SERVING_STATUSES, SiteStatus, SiteTier
from .models import CoverageTarget, Site

# The years a report may be asked for (the page's selector and the API's `year` parameter).
FIRST_YEAR = 2020
LAST_YEAR = 2100

# The document's goal when no target has been set: every village served, every township with
# an operating transfer station.
DEFAULT_TARGET_PERCENT = Decimal(100)

PERCENT_STEP = Decimal("0.1")


@dataclass(frozen=True)
class Targets:
    """The targets a report is measured against, and where they come from."""

    village_coverage_percent: Decimal
    transfer_station_percent: Decimal
    # The CoverageTarget year used: the report's year, else the latest earlier year; None when
    # no target was set for that year or before (the document's 100 % then applies).
    source_year: int | None
    note: str = ""

    @property
    def is_default(self) -> bool:
        return self.source_year is None


@dataclass(frozen=True)
class TownshipCoverage:
    """One township's row of the report."""

    township: Township
    village_count: int
    served_village_count: int
    has_transfer_station: bool
    illegal_point_count: int
    meets_coverage_target: bool
    meets_transfer_station_target: bool

    @property
    def unserved_village_count(self) -> int:
        return self.village_count - self.served_village_count

    @property
    def coverage_percent(self) -> Decimal | None:
        return percent(self.served_village_count, self.village_count)

    @property
    def meets_targets(self) -> bool:
        return self.meets_coverage_target and self.meets_transfer_station_target


@dataclass(frozen=True)
class CountyCoverage:
    """The totals over the townships the user sees (the whole county for county roles)."""

    village_count: int
    served_village_count: int
    township_count: int
    townships_with_transfer_station: int
    illegal_point_count: int
    meets_coverage_target: bool
    meets_transfer_station_target: bool

    @property
    def unserved_village_count(self) -> int:
        return self.village_count - self.served_village_count

    @property
    def coverage_percent(self) -> Decimal | None:
        return percent(self.served_village_count, self.village_count)

    @property
    def transfer_station_percent(self) -> Decimal | None:
        return percent(self.townships_with_transfer_station, self.township_count)

    @property
    def meets_targets(self) -> bool:
        return self.meets_coverage_target and self.meets_transfer_station_target


@dataclass(frozen=True)
class CoverageReport:
    year: int
    as_of: dt.date  # the date of the site statuses counted: today (see the module docstring)
    targets: Targets
    townships: list[TownshipCoverage]
    county: CountyCoverage
    # The township the user is confined to, or None when they see the whole county.
    scope_township_id: int | None

    @property
    def scope_township(self) -> Township | None:
        rows = (row for row in self.townships if row.township.pk == self.scope_township_id)
        return next((row.township for row in rows), None)


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in per cent, to one decimal place; None when there is nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


def reaches(part: int, whole: int, target_percent: Decimal) -> bool:
    """Whether `part` of `whole` reaches the target, compared exactly (no rounding): 2 of 3
    villages (66.66… %) do not reach a 66.7 % target. Nothing to count reaches any target."""
    return Decimal(part) * 100 >= target_percent * whole


def targets_for_year(year: int) -> Targets:
    """The CoverageTarget for `year`, else the latest earlier one, else the document's 100 %."""
    target = CoverageTarget.objects.filter(year__lte=year).order_by("-year").first()
    if target is None:
        return Targets(
            village_coverage_percent=DEFAULT_TARGET_PERCENT,
            transfer_station_percent=DEFAULT_TARGET_PERCENT,
            source_year=None,
        )
    return Targets(
        village_coverage_percent=target.village_coverage_percent,
        transfer_station_percent=target.transfer_station_percent,
        source_year=target.year,
        note=target.note,
    )


def serving_collection_points(*, user):
    """Collection points (tier 3) that serve their village now: status in SERVING_STATUSES."""
    return Site.objects.visible_to(user).filter(
        tier=SiteTier.COLLECTION_POINT, status__in=SERVING_STATUSES
    )


def _active_villages(*, user):
    return Village.objects.visible_to(user).filter(is_active=True)


def _is_served(*, user):
    """True for a village (the outer row) that a serving collection point lies in."""
    return Exists(serving_collection_points(user=user).filter(village_id=OuterRef("pk")))


def _count_per_township(queryset):
    """A correlated subquery counting `queryset`'s rows in the outer township (0 when none)."""
    counted = (
        queryset.filter(township_id=OuterRef("pk"))
        .order_by()
        .values("township_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _townships_with_counts(*, user):
    villages = _active_villages(user=user)
    sites = Site.objects.visible_to(user)
    stations = sites.filter(
        tier=SiteTier.TRANSFER_STATION,
        status__in=SERVING_STATUSES,
        township_id=OuterRef("pk"),
    )
    # Coverage rows follow the user's territory like the villages and sites they count.
    townships = Township.objects.in_territory_of(user)
    return townships.annotate(
        village_count=_count_per_township(villages),
        served_village_count=_count_per_township(villages.filter(_is_served(user=user))),
        has_transfer_station=Exists(stations),
        illegal_point_count=_count_per_township(sites.filter(status=SiteStatus.ILLEGAL)),
    ).order_by("code")


def coverage_for_year(*, user, year: int) -> CoverageReport:
    """Coverage per township the user sees, and the totals, against `year`'s targets.

    A village or community (active in the NBS list) is served when at least one collection
    point with a serving status (operating) lies in it. A township meets the coverage target
    when its served share reaches the target, and the transfer-station target when it has at
    least one operating transfer station (the document's rule for every township); the county
    meets the latter when the share of townships with one reaches the target.

    Two queries: the target and the townships with their counts. Served means served now
    (see the module docstring).
    """
    targets = targets_for_year(year)
    rows = [
        TownshipCoverage(
            township=township,
            village_count=township.village_count,
            served_village_count=township.served_village_count,
            has_transfer_station=township.has_transfer_station,
            illegal_point_count=township.illegal_point_count,
            meets_coverage_target=reaches(
                township.served_village_count,
                township.village_count,
                targets.village_coverage_percent,
            ),
            meets_transfer_station_target=township.has_transfer_station,
        )
        for township in _townships_with_counts(user=user)
    ]
    village_count = sum(row.village_count for row in rows)
    served_village_count = sum(row.served_village_count for row in rows)
    with_station = sum(1 for row in rows if row.has_transfer_station)
    county = CountyCoverage(
        village_count=village_count,
        served_village_count=served_village_count,
        township_count=len(rows),
        townships_with_transfer_station=with_station,
        illegal_point_count=sum(row.illegal_point_count for row in rows),
        meets_coverage_target=reaches(
            served_village_count, village_count, targets.village_coverage_percent
        ),
        meets_transfer_station_target=reaches(
            with_station, len(rows), targets.transfer_station_percent
        ),
    )
    return CoverageReport(
        year=year,
        as_of=timezone.localdate(),
        targets=targets,
        townships=rows,
        county=county,
        scope_township_id=township_scope(user),
    )


def unserved_villages(*, user, township=None):
    """Active villages and communities the user sees that no serving collection point lies in,
    with their township, by division code. One query. `township`: a Township or its pk."""
    villages = (
        _active_villages(user=user)
        .filter(~_is_served(user=user))
        .select_related("township")
        .order_by("township__code", "code")
    )
    if township is not None:
        villages = villages.filter(township=township)
    return villages
