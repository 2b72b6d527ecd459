"""The registry's figures as of today: sites by tier and status per township, and the coverage of
villages.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from django.db.models import Count

from sites.choices import SiteStatus, SiteTier
from sites.coverage import CoverageReport
from sites.models import Site

from .. import links


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
