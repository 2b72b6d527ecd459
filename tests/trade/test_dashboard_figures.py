"""The dashboard's market figures: tonnage in the period by tier, transfers below the board and
transfers awaiting settlement too long, scoped like everything else, each a link to its list."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from trade.models import PriceEntry
from trade.selectors import market_figures
from trade.services import publish_price

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def march(network, paper, commerce_admin):
    with time_machine.travel(TODAY, tick=False):
        publish_price(
            entry=PriceEntry(
                material=paper,
                seller_tier=3,
                price=Decimal(1500),
                effective_from=dt.date(2026, 1, 1),
            ),
            actor=commerce_admin,
        )
        a, n = commerce_admin, network
        deliver(
            actor=a,
            from_site=n.dipu_point,
            to_site=n.dipu_station,
            material=paper,
            weight="1500",
            on=dt.date(2026, 3, 2),
        )
        deliver(
            actor=a,
            from_site=n.cs_point,
            to_site=n.cs_station,
            material=paper,
            weight="500",
            price="1000",
            on=dt.date(2026, 3, 3),
        )
        deliver(
            actor=a,
            from_site=n.dipu_station,
            to_site=n.centre,
            material=paper,
            weight="1200",
            on=dt.date(2026, 3, 5),
        )
        deliver(
            actor=a,
            from_site=n.dipu_point,
            to_site=n.dipu_station,
            material=paper,
            weight="100",
            on=dt.date(2026, 1, 5),
        )  # before the period, unsettled too long
    return network


@override_settings(TRADE_UNSETTLED_DAYS=30)
def test_the_figures_add_up_by_hand(march, commerce_admin, dipu_officer):
    county = market_figures(
        user=commerce_admin,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
        today=dt.date(2026, 3, 20),
    )
    assert (county.from_points_tonnes, county.from_stations_tonnes) == (
        Decimal("2.0"),
        Decimal("1.2"),
    )
    assert (county.below_board, county.unsettled_late) == (1, 1)
    dipu = market_figures(
        user=dipu_officer,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
        today=dt.date(2026, 3, 20),
    )
    assert (dipu.from_points_kg, dipu.below_board) == (Decimal(1500), 0)


def test_the_dashboard_shows_them_with_links(client, march, commerce_admin):
    client.force_login(commerce_admin)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("dashboards:dashboard"), {"period": "2026-03"}).content.decode()
        listed = client.get(
            reverse("trade:transfer-list"),
            {"date_from": "2026-03-01", "date_to": "2026-03-31", "below_board": "true"},
        )
    assert 'data-figure="market-tonnage"' in page
    assert "期间内网点交售量（吨）" in page
    assert [t.weight_kg for t in listed.context["object_list"]] == [Decimal("500.00")]


def test_the_meeting_pack_has_the_recovered_tonnage_by_township(client, march, commerce_admin):
    import io

    from openpyxl import load_workbook

    client.force_login(commerce_admin)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("dashboards:meeting-pack"), {"period": "2026-03"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["回收量"].iter_rows(min_row=2, values_only=True))
    assert rows[0] == ("乡镇（街道）", "回收品类", "吨", "金额（元）", "交售")
    assert rows[1:] == [
        ("递铺街道", "废纸", 1.5, 2250, 1),
        ("昌硕街道", "废纸", 0.5, 500, 1),
        ("合计", None, 2, 2750, 2),
    ]
