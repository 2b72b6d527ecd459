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
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, Subquery, Sum
from django.urls import reverse

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
    site_rows = Site.objects.select_related("township").in_bulk({site for site, _material in keys})
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


# The dashboards' count of open flags: the same three rules as `monthly_balance`, in one
# statement (tests/trade/test_dashboard_flags.py holds the two to the same answer).
_OPEN_FLAG_COUNTS = """
WITH scoped AS ({sites}),
balancing AS (
    SELECT id, daily_capacity FROM sites_site
    WHERE id IN (SELECT id FROM scoped) AND tier IN (%(station)s, %(centre)s)
),
moves AS (
    SELECT to_site_id AS site_id, material_id, weight_kg AS held, 0 AS sent
    FROM trade_transfer
    WHERE to_site_id IN (SELECT id FROM balancing) AND transferred_on BETWEEN %(start)s AND %(end)s
    UNION ALL
    SELECT from_site_id, material_id, 0, weight_kg FROM trade_transfer
    WHERE from_site_id IN (SELECT id FROM balancing)
      AND transferred_on BETWEEN %(start)s AND %(end)s
    UNION ALL
    SELECT from_site_id, material_id, 0, weight_kg FROM trade_shipment
    WHERE from_site_id IN (SELECT id FROM balancing) AND shipped_on BETWEEN %(start)s AND %(end)s
    UNION ALL
    SELECT site_id, material_id, stock_kg, 0 FROM trade_stockdeclaration
    WHERE site_id IN (SELECT id FROM balancing) AND month = %(opening)s
),
flags AS (
    SELECT site_id, material_id, %(over_forwarded)s AS kind FROM moves
    GROUP BY site_id, material_id HAVING SUM(sent) > SUM(held)
    UNION ALL
    SELECT b.id, NULL, %(over_capacity)s FROM balancing b
    JOIN trade_stockdeclaration d ON d.site_id = b.id AND d.month = %(start)s
    WHERE b.daily_capacity IS NOT NULL
    GROUP BY b.id, b.daily_capacity HAVING SUM(d.stock_kg) > b.daily_capacity * 1000 * %(days)s
    UNION ALL
    SELECT s.id, NULL, %(idle_point)s FROM sites_site s
    WHERE s.id IN (SELECT id FROM scoped) AND s.tier = %(point)s AND s.status = %(operating)s
      AND NOT EXISTS (
        SELECT 1 FROM trade_transfer t WHERE t.from_site_id = s.id
          AND t.transferred_on > %(since)s AND t.transferred_on <= %(end)s
      )
)
SELECT f.kind, t.id, t.name, COUNT(*) FROM flags f
JOIN sites_site s ON s.id = f.site_id
JOIN agencies_township t ON t.id = s.township_id
WHERE NOT EXISTS (
    SELECT 1 FROM trade_flagclearance c
    WHERE c.site_id = f.site_id AND c.month = %(start)s AND c.kind = f.kind
      AND c.material_id IS NOT DISTINCT FROM f.material_id
)
GROUP BY f.kind, t.id, t.name
ORDER BY t.id
"""


def open_flag_counts(*, user, month: dt.date) -> dict[str, int]:
    """The month's flags not cleared yet, per kind, over the sites the user sees: one query."""
    counts = dict.fromkeys(BalanceFlagKind.values, 0)
    for row in open_flag_rows(user=user, month=month):
        counts[row.kind] += row.count
    return counts


@dataclass(frozen=True)
class FlagCountRow:
    kind: str
    township_id: int
    township_name: str
    count: int


def open_flag_rows(*, user, month: dt.date) -> list[FlagCountRow]:
    """The month's flags not cleared yet, per kind and township of the flagged site, over the
    sites the user sees (one query)."""
    try:
        sites = Site.objects.visible_to(user).order_by().values("id")
        sites_sql, sites_params = sites.query.sql_with_params()
    except EmptyResultSet:  # a user who sees no site
        return []
    start, end = month_bounds(month)
    # The site query's positional values, renamed to join the statement's named ones.
    names = iter(range(len(sites_params)))
    sites_sql = re.sub(r"(?<!%)%s", lambda _match: f"%(site{next(names)})s", sites_sql)
    named = {f"site{index}": value for index, value in enumerate(sites_params)}
    params = {
        **named,
        "station": SiteTier.TRANSFER_STATION,
        "centre": SiteTier.SORTING_CENTRE,
        "point": SiteTier.COLLECTION_POINT,
        "operating": SiteStatus.OPERATING,
        "start": start,
        "end": end,
        "opening": previous_month(start),
        "since": end - dt.timedelta(weeks=int(getattr(settings, "TRADE_IDLE_WEEKS", 4))),
        "days": Decimal(getattr(settings, "TRADE_STOCK_CAPACITY_DAYS", 7)),
        "over_forwarded": BalanceFlagKind.OVER_FORWARDED.value,
        "over_capacity": BalanceFlagKind.OVER_CAPACITY.value,
        "idle_point": BalanceFlagKind.IDLE_POINT.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_OPEN_FLAG_COUNTS.format(sites=sites_sql), params)
        return [FlagCountRow(*row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class OpenFlagFigures:
    """The dashboards' card: a month's flags not cleared yet, per kind, each with the link to
    the 进出平衡 page showing them."""

    month: dt.date
    rows: list[FlagCountRow]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(BalanceFlagKind.values, 0)
        for row in self.rows:
            counts[row.kind] += row.count
        return counts

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    def _url(self, **params) -> str:
        query = urlencode({"month": f"{self.month:%Y-%m}", "open": "true", **params})
        return f"{reverse('trade:balance')}?{query}"

    @property
    def url(self) -> str:
        return self._url()

    @property
    def by_kind(self) -> list[dict]:
        return [
            {
                "kind": kind,
                "label": str(kind.label),
                "count": self.counts[kind],
                "url": self._url(kind=kind),
            }
            for kind in BalanceFlagKind
        ]

    @property
    def by_township(self) -> list[dict]:
        """Per township with an open flag: its counts per kind, with the links."""
        townships = {}
        for row in self.rows:
            entry = townships.setdefault(
                row.township_id,
                {
                    "township_id": row.township_id,
                    "name": row.township_name,
                    "counts": dict.fromkeys(BalanceFlagKind.values, 0),
                },
            )
            entry["counts"][row.kind] += row.count
        return [
            {
                "township_id": entry["township_id"],
                "name": entry["name"],
                "total": sum(entry["counts"].values()),
                "url": self._url(township=entry["township_id"]),
                "by_kind": [
                    {
                        "kind": kind,
                        "label": str(kind.label),
                        "count": entry["counts"][kind],
                        "url": self._url(township=entry["township_id"], kind=kind),
                    }
                    for kind in BalanceFlagKind
                ],
            }
            for entry in townships.values()
        ]


def open_flag_figures(*, user, today: dt.date) -> OpenFlagFigures:
    """The open flags of the last month whose balance is complete (the one before today's)."""
    month = previous_month(today)
    return OpenFlagFigures(month=month, rows=open_flag_rows(user=user, month=month))
