"""The market dashboard: tonnage by material, tier, township and month and the points' price
against the board, from SQL aggregates in a fixed number of queries, each bar and point linking
to its transfers; a township sees its own."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import CHANGSHUO
from tests.factories import make_user
from trade.choices import SellerTier
from trade.models import PriceEntry

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def market(network, paper, plastic, commerce_admin):
    PriceEntry.objects.create(
        material=paper,
        seller_tier=SellerTier.COLLECTION_POINT,
        price=Decimal("1600"),
        effective_from=dt.date(2026, 1, 1),
        published_by=commerce_admin,
    )
    for on, weight, price in (
        (dt.date(2026, 2, 5), "1000", "1500"),
        (dt.date(2026, 3, 5), "3000", "1300"),
    ):
        deliver(
            actor=commerce_admin,
            from_site=network.dipu_point,
            to_site=network.dipu_station,
            material=paper,
            weight=weight,
            price=price,
            on=on,
        )
    deliver(
        actor=commerce_admin,
        from_site=network.cs_point,
        to_site=network.cs_station,
        material=plastic,
        weight="500",
        on=dt.date(2026, 3, 6),
    )
    deliver(
        actor=commerce_admin,
        from_site=network.dipu_station,
        to_site=network.centre,
        material=paper,
        weight="2000",
        on=dt.date(2026, 3, 7),
    )
    return network


def test_the_charts_data_add_up_and_link_to_the_transfers(
    client, market, paper, commerce_admin, django_assert_max_num_queries
):
    client.force_login(commerce_admin)
    with django_assert_max_num_queries(12):
        data = client.get(reverse("trade:dashboard-data")).json()

    assert [(row["name"], row["tonnes"]) for row in data["by_material"]] == [
        ("废纸", 4.0),
        ("废塑料", 0.5),
    ]
    assert [row["tonnes"] for row in data["by_tier"]] == [4.5, 2.0]  # points, then stations
    assert {row["name"]: row["tonnes"] for row in data["by_township"]} == {
        "递铺街道": 4.0,
        "昌硕街道": 0.5,
    }
    assert [(m["label"], m["points"], m["stations"]) for m in data["by_month"]] == [
        ("2026-02", 1.0, 0.0),
        ("2026-03", 3.5, 2.0),
    ]
    trend = data["price_trend"]
    assert trend["material"] == "废纸"
    assert [(m["label"], m["price"], m["board"]) for m in trend["months"]] == [
        ("2026-02", 1500.0, 1600.0),
        ("2026-03", 1300.0, 1600.0),
    ]
    listed = client.get(data["by_material"][0]["url"]).context["object_list"]
    assert {t.material for t in listed} == {paper}
    assert len(listed) == 2
    month = client.get(data["by_month"][1]["url"]).context["object_list"]
    assert len(month) == 3


def test_a_township_sees_its_own_sites_figures(client, market, dipu_officer):
    client.force_login(dipu_officer)
    data = client.get(reverse("trade:dashboard-data")).json()
    assert [row["name"] for row in data["by_township"]] == ["递铺街道"]


def test_the_page_loads_echarts_from_the_portal(client, market, commerce_admin):
    client.force_login(commerce_admin)
    html = client.get(reverse("trade:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "vendor/echarts/echarts.min.js" in html
    assert 'data-chart="priceTrend"' in html and 'data-chart="tonnageByTownship"' in html
    assert reverse("trade:dashboard-data") in html
    assert "cdn" not in html.lower()


def _transfer_reads(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, sum('"trade_transfer"' in query["sql"] for query in queries)


def test_the_figures_come_from_the_figure_cache_until_a_transfer_is_written(
    client, market, paper, commerce_admin
):
    """Like the main dashboard's: the second request reads no transfer, a new transfer (any
    write to the tables behind the figures) shows at once."""
    client.force_login(commerce_admin)
    for url in (reverse("trade:dashboard"), reverse("trade:dashboard-data")):
        first, first_reads = _transfer_reads(client, url)
        again, again_reads = _transfer_reads(client, url)
        assert first_reads > 0 and again_reads == 0, url
    assert again.json() == first.json()
    figures = client.get(reverse("trade:dashboard")).context["figures"]

    deliver(
        actor=commerce_admin,
        from_site=market.dipu_point,
        to_site=market.dipu_station,
        material=paper,
        weight="250",
        on=dt.date(2026, 3, 10),
    )
    after = client.get(reverse("trade:dashboard")).context["figures"]
    assert after.from_points_kg == figures.from_points_kg + 250
    by_material = client.get(reverse("trade:dashboard-data")).json()["by_material"]
    assert by_material[0] == {**first.json()["by_material"][0], "tonnes": 4.25}


def test_a_township_never_reads_another_townships_cached_market(
    client, market, dipu_officer, commerce_admin
):
    changshuo_officer = make_user("township_officer", township_code=CHANGSHUO)
    seen = {}
    for user in (dipu_officer, changshuo_officer, dipu_officer, commerce_admin):
        client.force_login(user)
        data = client.get(reverse("trade:dashboard-data")).json()
        seen.setdefault(user.username, []).append([r["name"] for r in data["by_township"]])
    assert seen[dipu_officer.username] == [["递铺街道"], ["递铺街道"]]
    assert seen[changshuo_officer.username] == [["昌硕街道"]]
    assert sorted(seen[commerce_admin.username][0]) == ["昌硕街道", "递铺街道"]
