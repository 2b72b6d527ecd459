"""Reads of the market. Every selector starts from `visible_to(user)`; aggregates are SQL."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.lookups import LessThan
from django.urls import reverse

from accounts.access import has_role, is_association, is_supply_coop, township_scope
from sites.choices import SiteStatus, SiteTier
from sites.models import Material, Site

from .choices import SellerTier
from .models import (
    PRICE,
    MaterialGrade,
    PriceEntry,
    Settlement,
    Shipment,
    Transfer,
    TransferMonthly,
)


def price_margin() -> Decimal:
    """How far below the board (percent) a front-end price may lie before it is flagged."""
    return Decimal(str(getattr(settings, "TRADE_PRICE_MARGIN_PERCENT", 10)))


def _board_price(*, material, grade, seller_tier, on, graded: Q | None = None):
    """The subquery of the board's price for a sale on a date: the grade's own price if the
    board has one, else the material's. `graded`, the condition that the sale has a grade,
    spares the grade's subquery for the sales without one (most of them: a list or a total
    over hundreds of thousands of transfers otherwise runs it for each)."""
    entries = PriceEntry.objects.filter(
        material=material, seller_tier=seller_tier, effective_from__lte=on
    ).order_by("-effective_from")
    own = Subquery(entries.filter(grade=grade).values("price")[:1])
    if graded is not None:
        own = Case(When(graded, then=own), default=None, output_field=DecimalField(**PRICE))
    general = entries.filter(grade__isnull=True).values("price")[:1]
    return Coalesce(own, Subquery(general), output_field=DecimalField(**PRICE))


def price_on(*, material, seller_tier, on: dt.date, grade=None) -> Decimal | None:
    """The board's reference price for a sale of this material (grade) by this tier on a
    date: the latest entry in force on that day."""
    entries = PriceEntry.objects.filter(
        material=material, seller_tier=seller_tier, effective_from__lte=on
    ).order_by("-effective_from")
    if grade is not None:
        own = entries.filter(grade=grade).values_list("price", flat=True).first()
        if own is not None:
            return own
    return entries.filter(grade__isnull=True).values_list("price", flat=True).first()


def _transfer_board_price():
    return _board_price(
        material=OuterRef("material"),
        grade=OuterRef("grade"),
        seller_tier=OuterRef("from_site__tier"),
        on=OuterRef("transferred_on"),
        graded=Q(grade__isnull=False),
    )


def below_board_condition(board_price):
    """The transfer's price lies more than the margin below `board_price` (false without one)."""
    floor = ExpressionWrapper(
        board_price * (Decimal(100) - price_margin()) / Decimal(100),
        output_field=DecimalField(**PRICE),
    )
    return LessThan(F("unit_price"), floor)


def with_board_prices(transfers):
    """Each transfer with the board's price on its date (`board_price`) and whether its price
    lies more than the margin below it (`below_board`), in the same query."""
    return transfers.annotate(board_price=_transfer_board_price()).annotate(
        below_board=Case(
            When(below_board_condition(F("board_price")), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def transfers_for_list(*, user):
    """Transfers with what a list, an export or the API shows, in a fixed number of queries."""
    return with_board_prices(
        Transfer.objects.visible_to(user).select_related(
            "from_site", "from_site__township", "to_site", "material", "grade", "entered_by"
        )
    )


def settlements_for_list(*, user):
    return Settlement.objects.visible_to(user).select_related("payer", "payee", "created_by")


def shipments_for_list(*, user):
    return Shipment.objects.visible_to(user).select_related("from_site", "material", "grade")


def prices_for_list(*, user):
    return PriceEntry.objects.visible_to(user).select_related("material", "grade", "published_by")


def grades(*, user):
    return MaterialGrade.objects.visible_to(user).select_related("material")


def current_board(*, user, on: dt.date):
    """The board in force on a date: for each material, grade and sale, its latest entry,
    with the previous price for the trend. Two queries whatever the board's length."""
    entries = list(
        prices_for_list(user=user)
        .filter(effective_from__lte=on)
        .order_by(
            "material__sort_order", "material_id", "grade_id", "seller_tier", "-effective_from"
        )
    )
    board, seen = [], {}
    for entry in entries:
        key = (entry.material_id, entry.grade_id, entry.seller_tier)
        if key not in seen:
            seen[key] = entry
            entry.previous_price = None
            board.append(entry)
        elif seen[key].previous_price is None:
            seen[key].previous_price = entry.price
    return board


def unsettled_transfers(*, user, payer=None, payee=None):
    transfers = transfers_for_list(user=user).filter(settlement__isnull=True)
    if payer is not None:
        transfers = transfers.filter(to_site=payer)
    if payee is not None:
        transfers = transfers.filter(from_site=payee)
    return transfers.order_by("transferred_on", "pk")


def tonnage_by_month_and_tier(*, user, start: dt.date, end: dt.date) -> list[dict]:
    """Kilograms delivered per month and delivering tier (SQL), for the dashboard."""
    from django.db.models.functions import TruncMonth

    return list(
        Transfer.objects.visible_to(user)
        .filter(transferred_on__gte=start, transferred_on__lte=end)
        .annotate(month=TruncMonth("transferred_on"))
        .values("month", "from_site__tier")
        .annotate(weight_kg=Sum("weight_kg"))
        .order_by("month", "from_site__tier")
    )


def receiving_sites(*, user):
    """Sites that receive transfers (stations and the centre) the user may see or deliver to."""
    return Site.objects.filter(
        tier__in=[SiteTier.TRANSFER_STATION, SiteTier.SORTING_CENTRE],
        status=SiteStatus.OPERATING,
    ).select_related("township")


def delivering_sites(*, user):
    """Sites whose transfers the user may enter: their township's points and stations."""
    return (
        Site.objects.visible_to(user)
        .filter(tier__in=[SiteTier.COLLECTION_POINT, SiteTier.TRANSFER_STATION])
        .select_related("township")
    )


@dataclass(frozen=True)
class MarketFigures:
    """The dashboard's market figures for a period: kilograms delivered by points and by
    stations, transfers paid below the board, and transfers unsettled past the allowed days."""

    start: dt.date
    end: dt.date
    from_points_kg: Decimal
    from_stations_kg: Decimal
    below_board: int
    unsettled_late: int
    unsettled_before: dt.date

    @property
    def from_points_tonnes(self) -> Decimal:
        return (self.from_points_kg / 1000).quantize(Decimal("0.1"))

    @property
    def from_stations_tonnes(self) -> Decimal:
        return (self.from_stations_kg / 1000).quantize(Decimal("0.1"))

    def _list(self, **params) -> str:
        return f"{reverse('trade:transfer-list')}?{urlencode(params)}"

    @property
    def url(self) -> str:
        return self._list(date_from=self.start.isoformat(), date_to=self.end.isoformat())

    @property
    def below_board_url(self) -> str:
        return self._list(
            date_from=self.start.isoformat(), date_to=self.end.isoformat(), below_board="true"
        )

    @property
    def unsettled_url(self) -> str:
        before = self.unsettled_before - dt.timedelta(days=1)
        return self._list(settled="false", date_to=before.isoformat())


class _OnceBeside(Subquery):
    """A scalar subquery in an aggregate's SELECT, beside the aggregates: PostgreSQL runs it
    once (an InitPlan), on its own indexes."""

    contains_aggregate = True


def unsettled_before(today: dt.date) -> dt.date:
    """Transfers delivered before this day and not settled are late (TRADE_UNSETTLED_DAYS)."""
    return today - dt.timedelta(days=int(getattr(settings, "TRADE_UNSETTLED_DAYS", 30)))


def market_figures(*, user, start: dt.date, end: dt.date, today: dt.date) -> MarketFigures:
    """One query over the transfers the user sees: the period's totals and the late unsettled."""
    before = unsettled_before(today)
    in_period = Q(transferred_on__gte=start, transferred_on__lte=end)
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
    below = below_board_condition(_transfer_board_price())
    transfers = Transfer.objects.visible_to(user)
    # The period's rows only (index on the date); the old unsettled ones counted in a subquery
    # of the same SELECT: for the county an index-only count on the partial index
    # transfer_unsettled_date, not a join of every transfer with its site.
    late = (
        transfers.filter(settlement__isnull=True, transferred_on__lt=before)
        .order_by()
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    totals = transfers.filter(in_period).aggregate(
        from_points=Coalesce(
            Sum("weight_kg", filter=Q(from_site__tier=SiteTier.COLLECTION_POINT)), zero
        ),
        from_stations=Coalesce(
            Sum("weight_kg", filter=Q(from_site__tier=SiteTier.TRANSFER_STATION)), zero
        ),
        below_board=Count("pk", filter=Q(below)),
        unsettled=_OnceBeside(late, output_field=IntegerField()),
    )
    return MarketFigures(
        start=start,
        end=end,
        from_points_kg=totals["from_points"],
        from_stations_kg=totals["from_stations"],
        below_board=totals["below_board"],
        unsettled_late=totals["unsettled"],
        unsettled_before=before,
    )


def tonnage_by_township_and_material(*, user, start: dt.date, end: dt.date) -> list[dict]:
    """Kilograms the collection points delivered in a period, per township and material (one
    GROUP BY): the county's front-end recovery (回收量)."""
    return list(
        Transfer.objects.visible_to(user)
        .filter(
            transferred_on__gte=start,
            transferred_on__lte=end,
            from_site__tier=SiteTier.COLLECTION_POINT,
        )
        .values("from_site__township__code", "from_site__township__name", "material__name")
        .annotate(weight_kg=Sum("weight_kg"), amount=Sum("amount"), count=Count("pk"))
        .order_by("from_site__township__code", "material__name")
    )


def site_market(*, user, site, today: dt.date, limit: int = 10) -> dict:
    """A site's market for its page: its latest transfers in and out, and its flags in this
    month's and last month's balance (with the township's clearances)."""
    from .balance import monthly_balance, previous_month

    transfers = (
        transfers_for_list(user=user).filter(Q(from_site=site) | Q(to_site=site))
    ).order_by("-transferred_on", "-pk")[:limit]
    this_month = today.replace(day=1)
    flags = []
    sites = Site.objects.filter(pk=site.pk)
    for month in (previous_month(this_month), this_month):
        flags += monthly_balance(user=user, month=month, sites=sites).flags
    return {"site": site, "transfers": list(transfers), "flags": flags}


# The market dashboard's charts: one aggregate query each, every bar and point carrying the
# link to its transfers (the list's filters).

TONNE = Decimal("0.001")


def _tonnes(kg) -> float:
    # ECharts draws numbers; the figure is rounded to the kilogram in SQL's Decimal first.
    return float((Decimal(kg or 0) / 1000).quantize(TONNE))


def _transfer_list_url(**params) -> str:
    return f"{reverse('trade:transfer-list')}?{urlencode({k: v for k, v in params.items() if v})}"


def _month_label(month) -> str:
    return f"{month:%Y-%m}"


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def monthly_tonnage(*, user, start: dt.date, end: dt.date, from_rollup: bool | None = None):
    """The transfers the user sees in whole months `start`..`end`, as rows to group and sum
    (`month`, `material`, `material__name`, `material__sort_order`, `from_tier`,
    `from_township`, `township_name`, `weight_kg`): the monthly rollup
    (trade/models/rollup.py) where PostgreSQL keeps it and the user's scope is by township,
    else the transfers themselves under the same names."""
    if from_rollup is None:
        whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
        from_rollup = (
            whole_months and connection.vendor == "postgresql" and not is_supply_coop(user)
        )
    if from_rollup:
        rows = TransferMonthly.objects.filter(month__gte=start, month__lte=end)
        if not has_role(user) or is_association(user):
            rows = rows.none()
        township_id = township_scope(user)
        if township_id is not None:
            rows = rows.filter(Q(from_township_id=township_id) | Q(to_township_id=township_id))
        return rows.annotate(township_name=F("from_township__name"))
    return (
        Transfer.objects.visible_to(user)
        .filter(transferred_on__gte=start, transferred_on__lte=end)
        .annotate(
            month=TruncMonth("transferred_on"),
            from_tier=F("from_site__tier"),
            from_township=F("from_site__township"),
            township_name=F("from_site__township__name"),
        )
    )


def market_charts(
    *, user, start: dt.date, end: dt.date, material=None, from_rollup: bool | None = None
) -> dict:
    """Tonnage by material, tier, township and month (from the monthly rollup), and the
    front-end price against the board per month (for `material`, else the material the points
    delivered most of), for the transfers the user sees in the period. Five queries."""
    period = dict(date_from=start.isoformat(), date_to=end.isoformat())
    transfers = Transfer.objects.visible_to(user).filter(
        transferred_on__gte=start, transferred_on__lte=end
    )
    points = transfers.filter(from_site__tier=SiteTier.COLLECTION_POINT)
    point_tier = SellerTier.COLLECTION_POINT
    monthly_rows = monthly_tonnage(user=user, start=start, end=end, from_rollup=from_rollup)
    point_rows = monthly_rows.filter(from_tier=SiteTier.COLLECTION_POINT)

    by_material = [
        {
            "name": row["material__name"],
            "tonnes": _tonnes(row["kg"]),
            "url": _transfer_list_url(**period, tier=point_tier, material=row["material"]),
            "material": row["material"],
        }
        for row in point_rows.values("material", "material__name")
        .annotate(kg=Sum("weight_kg"))
        .order_by("-kg", "material__sort_order")
    ]
    by_tier = [
        {
            "name": str(SellerTier(row["from_tier"]).label),
            "tonnes": _tonnes(row["kg"]),
            "url": _transfer_list_url(**period, tier=row["from_tier"]),
        }
        for row in monthly_rows.values("from_tier")
        .annotate(kg=Sum("weight_kg"))
        .order_by("-from_tier")
    ]
    by_township = [
        {
            "name": row["township_name"],
            "tonnes": _tonnes(row["kg"]),
            "url": _transfer_list_url(**period, tier=point_tier, township=row["from_township"]),
        }
        for row in point_rows.values("from_township", "township_name")
        .annotate(kg=Sum("weight_kg"))
        .order_by("-kg")
    ]
    monthly = {}
    for row in (
        monthly_rows.values("month", "from_tier").annotate(kg=Sum("weight_kg")).order_by("month")
    ):
        month = row["month"]
        entry = monthly.setdefault(
            month,
            {
                "label": _month_label(month),
                "url": _transfer_list_url(
                    date_from=month.isoformat(), date_to=_month_end(month).isoformat()
                ),
                "points": 0.0,
                "stations": 0.0,
            },
        )
        key = "points" if row["from_tier"] == SiteTier.COLLECTION_POINT else "stations"
        entry[key] = _tonnes(row["kg"])
    if material is None and by_material:
        material = by_material[0]["material"]
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "tiers": {
            "points": str(SellerTier.COLLECTION_POINT.label),
            "stations": str(SellerTier.TRANSFER_STATION.label),
        },
        "by_material": by_material,
        "by_tier": by_tier,
        "by_township": by_township,
        "by_month": list(monthly.values()),
        "price_trend": _price_trend(points=points, material=material, period=period),
    }


def _price_trend(*, points, material, period) -> dict:
    """Per month: the points' average price (amount ÷ weight, 元/吨) and the board's price on
    the transfers' dates, weighted by weight (one query)."""
    from django.db.models.functions import TruncMonth

    if material is None:
        return {"material": None, "months": []}
    rows = (
        with_board_prices(points.filter(material=material))
        .annotate(month=TruncMonth("transferred_on"))
        .values("month")
        .annotate(
            kg=Sum("weight_kg"),
            amount=Sum("amount"),
            board_kg=Sum("weight_kg", filter=Q(board_price__isnull=False)),
            board_value=Sum(
                ExpressionWrapper(
                    F("board_price") * F("weight_kg"),
                    output_field=DecimalField(max_digits=24, decimal_places=4),
                )
            ),
        )
        .order_by("month")
    )
    months = []
    for row in rows:
        month = row["month"]
        price = row["amount"] * 1000 / row["kg"] if row["kg"] else None
        board = row["board_value"] / row["board_kg"] if row["board_kg"] else None
        months.append(
            {
                "label": _month_label(month),
                "price": None if price is None else float(round(price, 0)),
                "board": None if board is None else float(round(board, 0)),
                "url": _transfer_list_url(
                    date_from=month.isoformat(),
                    date_to=_month_end(month).isoformat(),
                    tier=SellerTier.COLLECTION_POINT,
                    material=material if isinstance(material, int) else material.pk,
                ),
            }
        )
    name = Material.objects.filter(pk=getattr(material, "pk", material)).values_list(
        "name", flat=True
    )
    return {"material": name.first(), "months": months}
