"""The market dashboard's settlement backlog per township: transfers unsettled past the allowed
days, counted (and summed) by the township of the receiving site, which pays; each count opens
the transfer list showing exactly those transfers; a township sees only its own row."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from tests.conftest import CHANGSHUO
from tests.factories import make_user
from trade import services
from trade.backlog import unsettled_by_township
from trade.selectors import unsettled_before

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def today(settings):
    settings.TRADE_UNSETTLED_DAYS = 30  # late: delivered before 2026-02-18
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def backlog(network, paper, commerce_admin):
    """By hand: 递铺 pays for two late sales of its point (1500 + 300 yuan) and, through the
    county centre (in 递铺), for 昌硕's station's late sale (3000): 3 transfers, 4800 yuan.
    昌硕 pays for its point's late sale only: 1 transfer, 600 yuan. Not counted: a late sale
    already settled, and a recent one."""

    def sale(from_site, to_site, on, weight):
        return deliver(
            actor=commerce_admin,
            from_site=from_site,
            to_site=to_site,
            material=paper,
            weight=weight,
            on=on,
        )

    sale(network.dipu_point, network.dipu_station, dt.date(2026, 2, 1), "1000")
    sale(network.dipu_point, network.dipu_station, dt.date(2026, 2, 17), "200")
    settled = sale(network.dipu_point, network.dipu_station, dt.date(2026, 2, 2), "700")
    sale(network.dipu_point, network.dipu_station, dt.date(2026, 2, 18), "900")  # not late
    sale(network.cs_point, network.cs_station, dt.date(2026, 2, 5), "400")
    sale(network.cs_station, network.centre, dt.date(2026, 2, 6), "2000")
    services.settle_transfers(
        payer=network.dipu_station,
        payee=network.dipu_point,
        period_start=dt.date(2026, 2, 1),
        period_end=dt.date(2026, 2, 28),
        transfers=[settled],
        actor=commerce_admin,
    )
    return network


def _rows(client):
    response = client.get(reverse("trade:dashboard"))
    assert response.status_code == 200
    return [(row.name, row.count, row.amount) for row in response.context["backlog"]], response


def _listed(client, url):
    totals = client.get(url).context["totals"]
    return totals["count"], totals["amount"]


def test_each_townships_count_opens_exactly_its_late_transfers(
    client, api_client, backlog, commerce_admin
):
    client.force_login(commerce_admin)
    rows, response = _rows(client)
    assert rows == [("递铺街道", 3, Decimal("4800.00")), ("昌硕街道", 1, Decimal("600.00"))]
    for row in response.context["backlog"]:
        assert _listed(client, row.url) == (row.count, row.amount)
        api_client.force_authenticate(commerce_admin)
        query = row.url.split("?", 1)[1]
        assert api_client.get(f"/api/v1/transfers/?{query}").json()["count"] == row.count
    assert 'data-table="backlog"' in response.content.decode()


def test_a_township_officer_sees_only_its_own_row(client, backlog, dipu_officer):
    changshuo_officer = make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
    client.force_login(changshuo_officer)
    rows, response = _rows(client)
    # 昌硕 sees its station's sale to the centre, but the centre's township pays for it.
    assert rows == [("昌硕街道", 1, Decimal("600.00"))]
    assert _listed(client, response.context["backlog"][0].url) == (1, Decimal("600.00"))

    client.force_login(dipu_officer)
    rows, response = _rows(client)
    assert rows == [("递铺街道", 3, Decimal("4800.00"))]
    assert _listed(client, response.context["backlog"][0].url) == (3, Decimal("4800.00"))


def test_the_breakdown_is_one_query_however_many_transfers(backlog, paper, commerce_admin, network):
    before = unsettled_before(TODAY.date())
    with CaptureQueriesContext(connection) as first:
        assert len(unsettled_by_township(user=commerce_admin, before=before)) == 2
    for day in range(1, 11):
        deliver(
            actor=commerce_admin,
            from_site=network.cs_point,
            to_site=network.cs_station,
            material=paper,
            on=dt.date(2026, 1, day),
        )
    with CaptureQueriesContext(connection) as second:
        rows = unsettled_by_township(user=commerce_admin, before=before)
    assert [row.count for row in rows] == [3, 11]
    assert len(first.captured_queries) == len(second.captured_queries) == 1
