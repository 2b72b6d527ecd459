"""The market dashboard's tonnage comes from the monthly rollup that PostgreSQL keeps
(trade_transfermonthly, statement-level triggers): it equals the direct query over the
transfers for every scope, after transfers are recorded, corrected, deleted or bulk-written
and after a site moves to another township."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.test.utils import CaptureQueriesContext

from sites.models import Site
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_user
from trade import services
from trade.models import Transfer, TransferMonthly
from trade.selectors import market_charts

from .conftest import deliver

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


@pytest.fixture
def market(network, paper, plastic, commerce_admin):
    n = network
    for from_site, to_site, material, weight, on in (
        (n.dipu_point, n.dipu_station, paper, "1000", dt.date(2026, 1, 5)),
        (n.dipu_point, n.dipu_station, paper, "250.5", dt.date(2026, 1, 31)),
        (n.dipu_point, n.dipu_station, plastic, "300", dt.date(2026, 2, 1)),
        (n.cs_point, n.cs_station, plastic, "500", dt.date(2026, 2, 14)),
        (n.cs_point, n.cs_station, paper, "700", dt.date(2026, 3, 6)),
        (n.dipu_station, n.centre, paper, "2000", dt.date(2026, 3, 7)),
        (n.cs_station, n.centre, plastic, "900", dt.date(2026, 3, 8)),  # across townships
        (n.dipu_point, n.dipu_station, paper, "40", dt.date(2025, 12, 31)),  # before the period
    ):
        deliver(
            actor=commerce_admin,
            from_site=from_site,
            to_site=to_site,
            material=material,
            weight=weight,
            on=on,
        )
    return n


@pytest.fixture
def users(commerce_admin):
    return [
        commerce_admin,
        make_user("township_officer", township_code=DIPU),  # where the centre is
        make_user("township_officer", township_code=CHANGSHUO),
        make_user("leader"),
    ]


def tonnage(charts):
    return {key: charts[key] for key in ("by_material", "by_tier", "by_township", "by_month")}


def assert_rollup_is_the_direct_query(users):
    table = {
        (row.month, row.material_id, row.from_tier, row.from_township_id, row.to_township_id): (
            row.weight_kg,
            row.transfers,
        )
        for row in TransferMonthly.objects.all()
    }
    direct = {
        (
            row["month"],
            row["material"],
            row["from_site__tier"],
            row["from_site__township"],
            row["to_site__township"],
        ): (row["kg"], row["n"])
        for row in Transfer.objects.annotate(month=TruncMonth("transferred_on"))
        .values("month", "material", "from_site__tier", "from_site__township", "to_site__township")
        .annotate(kg=Sum("weight_kg"), n=Count("pk"))
    }
    assert table == direct
    for user in users:
        rolled = market_charts(user=user, start=START, end=END, from_rollup=True)
        assert tonnage(rolled) == tonnage(
            market_charts(user=user, start=START, end=END, from_rollup=False)
        )
    return rolled


def test_the_rollup_equals_the_direct_query_for_every_scope(market, users):
    county = market_charts(user=users[0], start=START, end=END, from_rollup=True)
    assert [(row["label"], row["points"], row["stations"]) for row in county["by_month"]] == [
        ("2026-01", 1.25, 0.0),
        ("2026-02", 0.8, 0.0),
        ("2026-03", 0.7, 2.9),
    ]
    assert_rollup_is_the_direct_query(users)


def test_the_rollup_follows_corrections_deletions_and_bulk_writes(
    market, users, commerce_admin, plastic
):
    transfer = Transfer.objects.get(weight_kg=Decimal("1000"))
    transfer.weight_kg = Decimal("1200")
    transfer.material = plastic
    transfer.transferred_on = dt.date(2026, 2, 10)  # into another month
    services.correct_transfer(transfer=transfer, actor=commerce_admin)
    assert_rollup_is_the_direct_query(users)

    Transfer.objects.get(weight_kg=Decimal("500")).delete()
    assert_rollup_is_the_direct_query(users)

    Transfer.objects.filter(weight_kg=Decimal("700")).delete()  # the last of its key
    assert not TransferMonthly.objects.filter(month=dt.date(2026, 3, 1), from_tier=3).exists()

    template = Transfer.objects.get(weight_kg=Decimal("2000"))
    Transfer.objects.bulk_create(
        [
            Transfer(
                transferred_on=dt.date(2026, 3, day),
                from_site=template.from_site,
                to_site=template.to_site,
                material=template.material,
                weight_kg=Decimal(day),
                unit_price=template.unit_price,
                amount=Decimal(0),
                entered_by=template.entered_by,
            )
            for day in range(1, 11)
        ]
    )
    Transfer.objects.filter(transferred_on__month=3).update(weight_kg=Decimal("5"))
    assert_rollup_is_the_direct_query(users)


def test_a_site_moved_to_another_township_moves_its_tonnage(market, users):
    Site.objects.filter(pk=market.cs_point.pk).update(township=market.dipu_point.township)
    charts = assert_rollup_is_the_direct_query(users)
    assert [row["name"] for row in charts["by_township"]] == ["递铺街道"]


def test_the_dashboard_reads_the_rollup_not_the_transfers(market, users):
    with CaptureQueriesContext(connection) as queries:
        market_charts(user=users[1], start=START, end=END)
    tonnage_sql = [q["sql"] for q in queries.captured_queries[:4]]
    assert all("trade_transfermonthly" in sql for sql in tonnage_sql)
    assert not any('FROM "trade_transfer"' in sql for sql in tonnage_sql)
