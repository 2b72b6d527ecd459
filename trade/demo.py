"""A plausible market for the demo (`seed_demo`): the county sorting centre, every demo station
delivering to it, weekly transfers from each operating point and station over the last twelve
months at prices around a seasonal board, settlements of all but the last two months, two
shipments to processors, month-end stocks, and a few deliberate faults so that every flag can be
seen: a point paid far below the board, a station that sent on more than it received, a station
holding more than its capacity, and an operating point that stopped delivering.

Transfers and the board are written in bulk with their history (they satisfy the rules by
construction: every point delivers to its own station, every station to the centre);
settlements, shipments and stocks go through the services."""

import datetime as dt
import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sites.choices import SiteStatus, SiteTier
from sites.models import Material, Site
from sites.services import register_site, update_site

from . import services
from .models import PriceEntry, Shipment, StockDeclaration, Transfer

DEMO_MARK = "（演示）"
# Reference price (元/吨) a point gets for each material, about the 2024 Zhejiang market.
BASE_PRICES = {
    "steel": 2200,
    "nonferrous": 12000,
    "paper": 1500,
    "plastic": 1800,
    "glass": 200,
    "textile": 600,
    "appliance": 1000,
    "electronics": 3000,
    "tyre": 800,
    "other": 300,
}
STATION_MARKUP = Decimal("1.08")  # a station sells on to the centre at about 8 % more
KG = Decimal("0.01")


def _money(value) -> Decimal:
    return Decimal(value).quantize(KG, rounding=ROUND_HALF_UP)


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    starts = []
    for _index in range(months):
        starts.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return sorted(starts)


def _seasonal(base: int, month: dt.date) -> Decimal:
    """Prices run about 6 % higher in winter than in summer."""
    return _money(base * (1 + 0.06 * math.cos((month.month - 1) / 12 * 2 * math.pi)))


def _centre(*, admin, township) -> Site:
    centre = Site.objects.filter(tier=SiteTier.SORTING_CENTRE).first()
    if centre is not None:
        return centre
    return register_site(
        site=Site(
            name=f"安吉县再生资源分拣中心{DEMO_MARK}",
            tier=SiteTier.SORTING_CENTRE,
            status=SiteStatus.OPERATING,
            township=township,
            address=f"{township.name}（演示地址）分拣中心",
            daily_capacity=Decimal("200"),
        ),
        actor=admin,
        materials=Material.objects.all(),
    )


def seed_market(*, admin, rng, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    stations = list(
        Site.objects.filter(tier=SiteTier.TRANSFER_STATION, status=SiteStatus.OPERATING)
        .select_related("township")
        .order_by("code")
    )
    if not stations:
        return {"transfers": 0, "settlements": 0, "prices": 0}
    materials = {material.code: material for material in Material.objects.all()}
    centre = _centre(admin=admin, township=stations[0].township)
    for station in stations:
        station.parent = centre
        station.daily_capacity = station.daily_capacity or Decimal("5")
        update_site(site=station, actor=admin, materials=materials.values())
    months = _month_starts(today, 12)
    prices = _seed_board(admin=admin, materials=materials, months=months)
    transfers = _seed_transfers(
        admin=admin, rng=rng, stations=stations, centre=centre, months=months, today=today
    )
    settlements = _seed_settlements(admin=admin, months=months[:-2])
    _seed_shipments(admin=admin, centre=centre, materials=materials, today=today)
    _seed_stocks(admin=admin, stations=stations, materials=materials, months=months)
    return {"transfers": transfers, "settlements": settlements, "prices": prices}


def _seed_board(*, admin, materials, months) -> int:
    """A board entry per month, material and sale (written in bulk with history)."""
    entries = [
        PriceEntry(
            material=materials[code],
            seller_tier=tier,
            price=value,
            effective_from=month,
            published_by=admin,
            note=f"月度指导价{DEMO_MARK}",
        )
        for month in months
        for code, base in BASE_PRICES.items()
        if code in materials
        for tier, value in (
            (3, _seasonal(base, month)),
            (2, _money(_seasonal(base, month) * STATION_MARKUP)),
        )
    ]
    bulk_create_with_history(entries, PriceEntry, default_user=admin)
    return len(entries)


def _weekdays(months, today):
    day = months[0] + dt.timedelta(days=(2 - months[0].weekday()) % 7)  # Wednesdays
    while day < today:
        yield day
        day += dt.timedelta(days=7)


def _transfer(*, admin, sender, receiver, material, day, weight, price) -> Transfer:
    return Transfer(
        transferred_on=day,
        from_site=sender,
        to_site=receiver,
        material=material,
        weight_kg=_money(weight),
        unit_price=price,
        amount=services.transfer_amount(weight_kg=_money(weight), unit_price=price),
        entered_by=admin,
    )


def _seed_transfers(*, admin, rng, stations, centre, months, today) -> int:
    points = list(
        Site.objects.filter(
            tier=SiteTier.COLLECTION_POINT, status=SiteStatus.OPERATING, parent__in=stations
        )
        .prefetch_related("materials")
        .order_by("code")
    )
    underpaid = points[0] if points else None  # paid ~25 % below the board
    idle = points[-1] if len(points) > 1 else None  # stops delivering ten weeks ago
    over_forwarding = stations[0]  # sends on 3 t more than it received last month
    last_month = months[-2]
    station_materials = {
        station.pk: [m for m in station.materials.all() if m.code in BASE_PRICES]
        for station in stations
    }
    rows = []
    for day in _weekdays(months, today):
        month = day.replace(day=1)
        received = {}
        for point in points:
            if point == idle and day > today - dt.timedelta(weeks=10):
                continue
            for material in point.materials.all():
                if material.code not in BASE_PRICES:
                    continue
                weight = Decimal(rng.randint(80, 900))
                board = _seasonal(BASE_PRICES[material.code], month)
                factor = Decimal("0.75") if point == underpaid else Decimal(rng.uniform(0.93, 1.05))
                rows.append(
                    _transfer(
                        admin=admin,
                        sender=point,
                        receiver=point.parent,
                        material=material,
                        day=day,
                        weight=weight,
                        price=_money(board * factor),
                    )
                )
                key = (point.parent_id, material.pk)
                received[key] = received.get(key, Decimal(0)) + weight
        for station in stations:
            for material in station_materials[station.pk]:
                weight = received.get((station.pk, material.pk), Decimal(0)) * Decimal("0.97")
                if weight <= 0:
                    continue
                if station == over_forwarding and month == last_month:
                    weight += Decimal(750)
                board = _seasonal(BASE_PRICES[material.code], month) * STATION_MARKUP
                rows.append(
                    _transfer(
                        admin=admin,
                        sender=station,
                        receiver=centre,
                        material=material,
                        day=day,
                        weight=weight,
                        price=_money(board * Decimal(rng.uniform(0.97, 1.02))),
                    )
                )
    bulk_create_with_history(rows, Transfer, batch_size=2000, default_user=admin)
    return len(rows)


def _seed_settlements(*, admin, months) -> int:
    """Each paying site settles with each of its deliverers twice a year (six months at a
    time), up to `months`' end."""
    count = 0
    pairs = (
        Transfer.objects.filter(settlement__isnull=True)
        .values_list("to_site", "from_site")
        .distinct()
        .order_by("to_site", "from_site")
    )
    sites = Site.objects.in_bulk({site for pair in pairs for site in pair})
    periods = [months[index : index + 6] for index in range(0, len(months), 6)]
    for payer_id, payee_id in pairs:
        for period in periods:
            start = period[0]
            end = (period[-1] + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            ids = list(
                Transfer.objects.filter(
                    to_site_id=payer_id,
                    from_site_id=payee_id,
                    settlement__isnull=True,
                    transferred_on__gte=start,
                    transferred_on__lte=end,
                ).values_list("pk", flat=True)
            )
            if not ids:
                continue
            services.settle_transfers(
                payer=sites[payer_id],
                payee=sites[payee_id],
                period_start=start,
                period_end=end,
                transfers=ids,
                actor=admin,
                paid_on=end + dt.timedelta(days=10),
                payment_reference=f"演示转账{start:%Y%m}-{payee_id}",
            )
            count += 1
    return count


def _seed_shipments(*, admin, centre, materials, today) -> None:
    for days, name, code, region, material, weight in (
        (20, "浙江演示纸业有限公司", "91330500MA00000013", "湖州市", "paper", 30000),
        (8, "安吉演示再生金属有限公司", "91330523MA00000025", "安吉县", "steel", 18000),
    ):
        services.record_shipment(
            shipment=Shipment(
                shipped_on=today - dt.timedelta(days=days),
                from_site=centre,
                processor_name=f"{name}{DEMO_MARK}",
                processor_credit_code=_valid_code(code),
                processor_region=region,
                material=materials[material],
                weight_kg=Decimal(weight),
                note=DEMO_MARK,
            ),
            actor=admin,
        )


def _valid_code(first: str) -> str:
    from anji_recycling.validators import credit_code_check_character

    return first[:17] + credit_code_check_character(first[:17])


def _seed_stocks(*, admin, stations, materials, months) -> None:
    """Last month's closing stocks: small at every station, too much at the last one."""
    last_month = months[-2]
    for index, station in enumerate(stations):
        heavy = index == len(stations) - 1
        for code in ("paper", "plastic"):
            services.declare_stock(
                declaration=StockDeclaration(
                    site=station,
                    month=last_month,
                    material=materials[code],
                    stock_kg=Decimal(30000 if heavy else 800),
                ),
                actor=admin,
            )


# At scale (`seed_demo --scale N`) ---------------------------------------------------------------


def seed_market_at_scale(*, admin, rng, today: dt.date, log=print) -> dict:
    """The market over the sites `seed_demo --scale N` wrote: the sorting centre, every
    operating station delivering to it, the twelve-month board, and weekly transfers from each
    operating point (two of its materials) to its station and from each station to the centre,
    written week by week in bulk with their history (like the rest of the scaled data, not
    through the services: they satisfy the rules by construction), and last month's stocks.
    At 100× Anji (some 50,000 sites) that is about five million transfers a year."""
    stations = list(
        Site.objects.filter(tier=SiteTier.TRANSFER_STATION, status=SiteStatus.OPERATING)
        .select_related("township")
        .order_by("code")
    )
    if not stations:
        return {"transfers": 0, "prices": 0, "stocks": 0}
    materials = {material.code: material for material in Material.objects.all()}
    priced = {material.pk: code for code, material in materials.items() if code in BASE_PRICES}
    centre = _centre(admin=admin, township=stations[0].township)
    for station in stations:
        station.parent = centre
        station.daily_capacity = station.daily_capacity or Decimal("5")
    Site.objects.bulk_update(stations, ["parent", "daily_capacity"], batch_size=2000)
    months = _month_starts(today, 12)
    prices = _seed_board(admin=admin, materials=materials, months=months)

    station_ids = {station.pk for station in stations}
    if connection.vendor == "postgresql":
        total = _scaled_transfers_in_sql(
            admin=admin,
            rng=rng,
            stations=sorted(station_ids),
            centre=centre,
            priced=sorted(priced),
            months=months,
            today=today,
            log=log,
        )
    else:
        total = _scaled_transfers(
            admin=admin,
            rng=rng,
            station_ids=station_ids,
            centre=centre,
            priced=priced,
            months=months,
            today=today,
            log=log,
        )
    stocks = [
        StockDeclaration(
            site=station,
            month=months[-2],
            material=materials[code],
            stock_kg=Decimal(800),
            declared_by=admin,
        )
        for station in stations
        for code in ("paper", "plastic")
        if code in materials
    ]
    bulk_create_with_history(stocks, StockDeclaration, batch_size=2000, default_user=admin)
    return {"transfers": total, "prices": prices, "stocks": len(stocks)}


def _scaled_transfers(*, admin, rng, station_ids, centre, priced, months, today, log) -> int:
    points = defaultdict(list)  # point -> its (up to two) priced materials
    parents = {}
    through = Site.materials.through.objects.filter(
        site__tier=SiteTier.COLLECTION_POINT,
        site__status=SiteStatus.OPERATING,
        site__parent__in=station_ids,
        material__in=list(priced),
    ).values_list("site_id", "site__parent_id", "material_id")
    for point, parent, material in through.order_by("site_id", "material_id").iterator(5000):
        if len(points[point]) < 2:
            points[point].append(material)
            parents[point] = parent
    total = 0
    for day in _weekdays(months, today):
        month = day.replace(day=1)
        boards = {pk: _seasonal(BASE_PRICES[code], month) for pk, code in priced.items()}
        rows, received = [], defaultdict(Decimal)
        for point, point_materials in points.items():
            for material in point_materials:
                weight = Decimal(rng.randint(80, 900))
                price = _money(boards[material] * Decimal(rng.uniform(0.93, 1.05)))
                rows.append(
                    _scaled_transfer(admin, point, parents[point], material, day, weight, price)
                )
                received[(parents[point], material)] += weight
        for (station, material), weight in received.items():
            price = _money(boards[material] * STATION_MARKUP)
            rows.append(
                _scaled_transfer(
                    admin, station, centre.pk, material, day, weight * Decimal("0.97"), price
                )
            )
        bulk_create_with_history(rows, Transfer, batch_size=5000, default_user=admin)
        total += len(rows)
        log(f"transfers of {day:%Y-%m-%d}: {len(rows)} (so far {total})")
    return total


# The same rows, generated by PostgreSQL itself a month at a time (millions of rows: building
# them as Python objects would take hours), with their history rows copied from them.
_POINT_ROWS = """
WITH pairs AS (
    SELECT sm.site_id AS point, s.parent_id AS station, sm.material_id AS material,
           row_number() OVER (PARTITION BY sm.site_id ORDER BY sm.material_id) AS n
    FROM sites_site_materials sm JOIN sites_site s ON s.id = sm.site_id
    WHERE s.tier = 3 AND s.status = 'operating' AND s.parent_id = ANY(%(stations)s)
      AND sm.material_id = ANY(%(priced)s)
), generated AS (
    SELECT d.day, p.point, p.station, p.material,
           (80 + floor(random() * 821))::numeric(12, 2) AS weight,
           round(pe.price * (0.93 + random() * 0.12)::numeric, 2) AS price
    FROM pairs p
    CROSS JOIN unnest(%(days)s::date[]) AS d(day)
    JOIN trade_priceentry pe ON pe.material_id = p.material AND pe.seller_tier = 3
        AND pe.grade_id IS NULL AND pe.effective_from = %(month)s
    WHERE p.n <= 2
)
INSERT INTO trade_transfer (created_at, updated_at, transferred_on, from_site_id, to_site_id,
    material_id, weight_kg, unit_price, amount, reason, weighbridge_ticket, entered_by_id)
SELECT now(), now(), day, point, station, material, weight, price,
       round(weight * price / 1000, 2), '', '', %(admin)s
FROM generated
"""
_STATION_ROWS = """
INSERT INTO trade_transfer (created_at, updated_at, transferred_on, from_site_id, to_site_id,
    material_id, weight_kg, unit_price, amount, reason, weighbridge_ticket, entered_by_id)
SELECT now(), now(), t.transferred_on, t.to_site_id, %(centre)s, t.material_id,
       round(sum(t.weight_kg) * 0.97, 2), pe.price,
       round(round(sum(t.weight_kg) * 0.97, 2) * pe.price / 1000, 2), '', '', %(admin)s
FROM trade_transfer t
JOIN sites_site s ON s.id = t.from_site_id AND s.tier = 3
JOIN trade_priceentry pe ON pe.material_id = t.material_id AND pe.seller_tier = 2
    AND pe.grade_id IS NULL AND pe.effective_from = %(month)s
WHERE t.transferred_on = ANY(%(days)s::date[]) AND t.to_site_id = ANY(%(stations)s)
GROUP BY t.transferred_on, t.to_site_id, t.material_id, pe.price
"""


def _scaled_transfers_in_sql(*, admin, rng, stations, centre, priced, months, today, log) -> int:
    from django.db import transaction

    history = Transfer.history.model
    copied = [
        f.column for f in history._meta.concrete_fields if not f.column.startswith("history_")
    ]
    history_rows = (
        f"INSERT INTO {history._meta.db_table} ({', '.join(copied)}, history_date, "
        "history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join(copied)}, now(), NULL, '+', %(admin)s FROM trade_transfer "
        "WHERE transferred_on = ANY(%(days)s::date[])"
    )
    days = list(_weekdays(months, today))
    total = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [rng.random() * 2 - 1])
        for month in months:
            params = {
                "stations": stations,
                "priced": priced,
                "centre": centre.pk,
                "admin": admin.pk,
                "month": month,
                "days": [day for day in days if day.replace(day=1) == month],
            }
            with transaction.atomic():
                cursor.execute(_POINT_ROWS, params)
                count = cursor.rowcount
                cursor.execute(_STATION_ROWS, params)
                count += cursor.rowcount
                cursor.execute(history_rows, params)
            total += count
            log(f"transfers of {month:%Y-%m}: {count} (so far {total})")
        cursor.execute("ANALYZE trade_transfer")
    return total


def _scaled_transfer(admin, sender_id, receiver_id, material_id, day, weight, price) -> Transfer:
    weight = _money(weight)
    return Transfer(
        transferred_on=day,
        from_site_id=sender_id,
        to_site_id=receiver_id,
        material_id=material_id,
        weight_kg=weight,
        unit_price=price,
        amount=services.transfer_amount(weight_kg=weight, unit_price=price),
        entered_by=admin,
    )
