"""Mass balance (进出平衡) per site, month and material, computed in SQL.

For each transfer station and the county sorting centre, for a month and each material:
received (transfers in), forwarded (transfers out), shipped (to processors), the stock
declared at the end of the previous month (opening) and of this month (closing). The portal
flags, with the figures:

- a site that sent on (forwarded + shipped) more than it received plus its opening stock
  (suspected unregistered sourcing: 小散乱, illegal points);
- a station or centre whose closing stock, over all materials, exceeds its declared capacity
  (daily capacity × TRADE_STOCK_CAPACITY_DAYS);
- an operating collection point that delivered nothing in the TRADE_IDLE_WEEKS weeks before the
  month's end.

Each figure is one aggregate query over the month (received, forwarded, shipped, stocks, last
deliveries, the township's clearances): seven queries whatever the number of sites or
transfers. A township officer clears a flag with an explanation (FlagClearance, with history);
the flag is then shown as cleared, with the explanation.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery, Sum

from sites.choices import SiteStatus, SiteTier
from sites.models import Material, Site

from .choices import BalanceFlagKind
from .models import FlagClearance, Shipment, StockDeclaration, Transfer

ZERO = Decimal(0)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@dataclass
class BalanceRow:
    site: Site
    material: Material
    received: Decimal = ZERO
    forwarded: Decimal = ZERO
    shipped: Decimal = ZERO
    opening: Decimal | None = None
    closing: Decimal | None = None

    @property
    def sent_on(self) -> Decimal:
        return self.forwarded + self.shipped

    @property
    def available(self) -> Decimal:
        return self.received + (self.opening or ZERO)

    @property
    def discrepancy(self) -> Decimal | None:
        """Received + opening − forwarded − shipped − closing: 0 when the books balance; None
        until the month's closing stock is declared."""
        if self.closing is None:
            return None
        return self.available - self.sent_on - self.closing

    @property
    def over_forwarded(self) -> bool:
        return self.sent_on > self.available


@dataclass
class BalanceFlag:
    kind: str
    site: Site
    month: dt.date
    material: Material | None = None
    figures: dict = field(default_factory=dict)
    clearance: FlagClearance | None = None  # the township's explanation, once it cleared it

    @property
    def kind_label(self) -> str:
        return BalanceFlagKind(self.kind).label

    @property
    def key(self) -> tuple:
        return (self.site.pk, self.kind, self.material.pk if self.material else None)


@dataclass
class MonthlyBalance:
    month: dt.date
    rows: list[BalanceRow]
    flags: list[BalanceFlag]


def _sums(queryset, site_field, weight_field, start, end, date_field):
    return {
        (row[site_field], row["material"]): row["total"]
        for row in queryset.filter(**{f"{date_field}__gte": start, f"{date_field}__lte": end})
        .values(site_field, "material")
        .annotate(total=Sum(weight_field))
        .order_by()
    }


def monthly_balance(*, user, month: dt.date, sites=None) -> MonthlyBalance:
    """The month's balance of every station and centre the user sees (or of `sites`)."""
    start, end = month_bounds(month)
    opening_month = previous_month(start)
    if sites is None:
        sites = Site.objects.visible_to(user)
    balancing = sites.filter(tier__in=[SiteTier.TRANSFER_STATION, SiteTier.SORTING_CENTRE])
    site_ids = balancing.values("pk")
    transfers = Transfer.objects.all()
    received = _sums(
        transfers.filter(to_site__in=site_ids), "to_site", "weight_kg", start, end, "transferred_on"
    )
    forwarded = _sums(
        transfers.filter(from_site__in=site_ids),
        "from_site",
        "weight_kg",
        start,
        end,
        "transferred_on",
    )
    shipped = _sums(
        Shipment.objects.filter(from_site__in=site_ids),
        "from_site",
        "weight_kg",
        start,
        end,
        "shipped_on",
    )
    stocks = {
        (row["site"], row["material"], row["month"]): row["stock_kg"]
        for row in StockDeclaration.objects.filter(
            site__in=site_ids, month__in=[opening_month, start]
        ).values("site", "material", "month", "stock_kg")
    }
    keys = set(received) | set(forwarded) | set(shipped)
    keys |= {(site, material) for site, material, _month in stocks}
    site_rows = Site.objects.in_bulk({site for site, _material in keys})
    materials = Material.objects.in_bulk()
    rows = []
    for site_id, material_id in keys:
        rows.append(
            BalanceRow(
                site=site_rows[site_id],
                material=materials[material_id],
                received=received.get((site_id, material_id), ZERO),
                forwarded=forwarded.get((site_id, material_id), ZERO),
                shipped=shipped.get((site_id, material_id), ZERO),
                opening=stocks.get((site_id, material_id, opening_month)),
                closing=stocks.get((site_id, material_id, start)),
            )
        )
    rows.sort(key=lambda row: (row.site.tier, row.site.code, row.material.sort_order))
    flags = _over_forwarded(rows, start) + _over_capacity(rows, start)
    flags += _idle_points(sites, start, end)
    _attach_clearances(flags, start)
    return MonthlyBalance(month=start, rows=rows, flags=flags)


def _attach_clearances(flags, month) -> None:
    """Each flag's clearance, if the township cleared it (one query)."""
    if not flags:
        return
    clearances = {
        (row.site_id, row.kind, row.material_id): row
        for row in FlagClearance.objects.filter(
            month=month, site__in={flag.site.pk for flag in flags}
        ).select_related("cleared_by")
    }
    for flag in flags:
        flag.clearance = clearances.get(flag.key)


def _over_forwarded(rows, month) -> list[BalanceFlag]:
    return [
        BalanceFlag(
            kind=BalanceFlagKind.OVER_FORWARDED,
            site=row.site,
            month=month,
            material=row.material,
            figures={
                "received": row.received,
                "opening": row.opening or ZERO,
                "forwarded": row.forwarded,
                "shipped": row.shipped,
                "excess": row.sent_on - row.available,
            },
        )
        for row in rows
        if row.over_forwarded
    ]


def _over_capacity(rows, month) -> list[BalanceFlag]:
    days = Decimal(getattr(settings, "TRADE_STOCK_CAPACITY_DAYS", 7))
    stock = defaultdict(Decimal)
    sites = {}
    for row in rows:
        if row.closing is not None:
            stock[row.site.pk] += row.closing
            sites[row.site.pk] = row.site
    flags = []
    for site_id, total in stock.items():
        site = sites[site_id]
        if site.daily_capacity is None:
            continue
        capacity = site.daily_capacity * 1000 * days
        if total > capacity:
            flags.append(
                BalanceFlag(
                    kind=BalanceFlagKind.OVER_CAPACITY,
                    site=site,
                    month=month,
                    figures={"stock": total, "capacity": capacity},
                )
            )
    return flags


def _idle_points(sites, start, end) -> list[BalanceFlag]:
    weeks = int(getattr(settings, "TRADE_IDLE_WEEKS", 4))
    since = end - dt.timedelta(weeks=weeks)
    # No delivery in the weeks before the month's end: an index probe per point
    # (transfer_from_site_date), not an aggregate over every point's history; the last delivery
    # is looked up for the flagged points only.
    delivered = Transfer.objects.filter(
        from_site=OuterRef("pk"), transferred_on__gt=since, transferred_on__lte=end
    )
    last = (
        Transfer.objects.filter(from_site=OuterRef("pk"), transferred_on__lte=end)
        .order_by("-transferred_on")
        .values("transferred_on")[:1]
    )
    points = (
        sites.filter(tier=SiteTier.COLLECTION_POINT, status=SiteStatus.OPERATING)
        .filter(~Exists(delivered))
        .annotate(last_delivery=Subquery(last))
        .select_related("township")
        .order_by("township__code", "code")
    )
    return [
        BalanceFlag(
            kind=BalanceFlagKind.IDLE_POINT,
            site=point,
            month=start,
            figures={"last_delivery": point.last_delivery, "weeks": weeks},
        )
        for point in points
    ]
