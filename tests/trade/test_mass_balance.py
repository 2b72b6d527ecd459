"""The month's mass balance on a hand-built March 2026 whose answer is worked out below.

递铺中转站 (daily capacity 2 t, so 14 t of stock at 7 days): paper opening 500 kg (February's
declared stock), received 1 000 + 2 000, forwarded 4 000 to the centre: it sent on 500 kg more
than it received and held. Its March closing stock of 15 000 kg exceeds 14 000 kg. Plastic:
received 100, forwarded 100, closing 0: balanced. The centre received 4 000 and shipped 3 000
(closing not declared). 昌硕网点 delivered nothing (idle); 递铺网点 delivered on 16 March."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tests.factories import credit_code
from trade import services
from trade.balance import monthly_balance
from trade.models import Shipment, StockDeclaration

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 4, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
MARCH = dt.date(2026, 3, 1)


def declare(actor, site, month, material, kg):
    return services.declare_stock(
        declaration=StockDeclaration(
            site=site, month=month, material=material, stock_kg=Decimal(kg)
        ),
        actor=actor,
    )


@pytest.fixture
def march(network, paper, plastic, commerce_admin):
    with time_machine.travel(TODAY, tick=False):
        a = commerce_admin
        n = network
        deliver(
            actor=a,
            from_site=n.dipu_point,
            to_site=n.dipu_station,
            material=paper,
            weight="1000",
            on=dt.date(2026, 3, 2),
        )
        deliver(
            actor=a,
            from_site=n.dipu_point,
            to_site=n.dipu_station,
            material=paper,
            weight="2000",
            on=dt.date(2026, 3, 16),
        )
        deliver(
            actor=a,
            from_site=n.dipu_point,
            to_site=n.dipu_station,
            material=plastic,
            weight="100",
            on=dt.date(2026, 3, 3),
        )
        deliver(
            actor=a,
            from_site=n.dipu_station,
            to_site=n.centre,
            material=paper,
            weight="4000",
            on=dt.date(2026, 3, 20),
        )
        deliver(
            actor=a,
            from_site=n.dipu_station,
            to_site=n.centre,
            material=plastic,
            weight="100",
            on=dt.date(2026, 3, 21),
        )
        # Outside March: counted in no figure.
        deliver(
            actor=a,
            from_site=n.dipu_point,
            to_site=n.dipu_station,
            material=paper,
            weight="9999",
            on=dt.date(2026, 4, 1),
        )
        services.record_shipment(
            shipment=Shipment(
                shipped_on=dt.date(2026, 3, 25),
                from_site=n.centre,
                processor_name="浙江某纸业有限公司",
                processor_credit_code=credit_code(77),
                processor_region="湖州市",
                material=paper,
                weight_kg=Decimal(3000),
            ),
            actor=a,
        )
        declare(a, n.dipu_station, dt.date(2026, 2, 1), paper, "500")
        declare(a, n.dipu_station, MARCH, paper, "15000")
        declare(a, n.dipu_station, MARCH, plastic, "0")
    return network


def figures(balance, site, material):
    (row,) = [r for r in balance.rows if r.site == site and r.material == material]
    return row


def test_the_rows_hold_the_months_figures(march, paper, plastic, commerce_admin):
    balance = monthly_balance(user=commerce_admin, month=MARCH)
    station_paper = figures(balance, march.dipu_station, paper)
    assert (station_paper.received, station_paper.forwarded, station_paper.shipped) == (
        3000,
        4000,
        0,
    )
    assert (station_paper.opening, station_paper.closing) == (500, 15000)
    assert station_paper.discrepancy == Decimal(-15500)  # 3000 + 500 − 4000 − 15000
    assert figures(balance, march.dipu_station, plastic).discrepancy == 0
    centre_paper = figures(balance, march.centre, paper)
    assert (centre_paper.received, centre_paper.shipped, centre_paper.discrepancy) == (
        4000,
        3000,
        None,
    )


def test_each_flag_is_raised_with_its_figures(march, paper, commerce_admin):
    balance = monthly_balance(user=commerce_admin, month=MARCH)
    flags = {
        (flag.kind, flag.site.pk, getattr(flag.material, "pk", None)): flag
        for flag in balance.flags
    }
    assert set(flags) == {
        ("over_forwarded", march.dipu_station.pk, paper.pk),
        ("over_capacity", march.dipu_station.pk, None),
        ("idle_point", march.cs_point.pk, None),
    }
    assert flags[("over_forwarded", march.dipu_station.pk, paper.pk)].figures["excess"] == 500
    capacity = flags[("over_capacity", march.dipu_station.pk, None)].figures
    assert (capacity["stock"], capacity["capacity"]) == (15000, 14000)


def test_a_township_sees_the_balance_of_its_own_sites(march, dipu_officer):
    balance = monthly_balance(user=dipu_officer, month=MARCH)
    assert {row.site.township_id for row in balance.rows} == {dipu_officer.township_id}
    assert not [flag for flag in balance.flags if flag.site == march.cs_point]


def test_the_balance_runs_a_fixed_number_of_queries(
    march, paper, commerce_admin, django_assert_max_num_queries
):
    with time_machine.travel(TODAY, tick=False):
        for day in range(1, 28):
            deliver(
                actor=commerce_admin,
                from_site=march.cs_point,
                to_site=march.cs_station,
                material=paper,
                on=dt.date(2026, 3, day),
            )
    with django_assert_max_num_queries(8):
        monthly_balance(user=commerce_admin, month=MARCH)


def test_a_township_officer_clears_a_flag_with_an_explanation(client, march, paper, dipu_officer):
    from django.urls import reverse

    from trade.models import FlagClearance

    client.force_login(dipu_officer)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("trade:balance"), {"month": "2026-03"})
        assert page.status_code == 200
        assert "清除" in page.content.decode() or "核实" in page.content.decode()
        response = client.post(
            reverse("trade:flag-clear"),
            {
                "site": march.dipu_station.pk,
                "month": "2026-03",
                "kind": "over_forwarded",
                "material": paper.pk,
                "explanation": "2月底有未申报库存，已补报",
            },
        )
        assert response["Location"].endswith("?month=2026-03")
        flags = client.get(response["Location"]).context["balance"].flags

    clearance = FlagClearance.objects.get()
    assert clearance.cleared_by == dipu_officer
    assert clearance.history.get().history_user == dipu_officer
    (cleared,) = [flag for flag in flags if flag.kind == "over_forwarded"]
    assert cleared.clearance == clearance
    assert [flag.clearance for flag in flags if flag.kind != "over_forwarded"] == [None]


def test_another_township_cannot_clear_the_flag(client, march, paper, changshuo):
    from django.urls import reverse

    from tests.factories import make_user
    from trade.models import FlagClearance

    officer = make_user("township_officer", township_code=changshuo.code)
    client.force_login(officer)
    response = client.post(
        reverse("trade:flag-clear"),
        {
            "site": march.dipu_station.pk,
            "month": "2026-03",
            "kind": "over_capacity",
            "explanation": "不是本乡镇",
        },
    )
    assert response.status_code == 404
    assert not FlagClearance.objects.exists()


def test_the_site_page_shows_its_transfers_and_flags(
    client, march, dipu_officer, django_assert_max_num_queries
):
    from django.urls import reverse

    client.force_login(dipu_officer)
    with time_machine.travel(TODAY, tick=False):
        site_page = client.get(march.dipu_station.get_absolute_url()).content.decode()
        assert reverse("trade:site-market", args=[march.dipu_station.pk]) in site_page
        # Two months' balances of one site (eight queries each), its transfers, the session.
        with django_assert_max_num_queries(24):
            fragment = client.get(reverse("trade:site-market", args=[march.dipu_station.pk]))
        other = client.get(reverse("trade:site-market", args=[march.cs_station.pk]))
    kinds = {flag.kind for flag in fragment.context["flags"]}
    assert kinds == {"over_forwarded", "over_capacity"}
    assert len(fragment.context["transfers"]) == 6
    assert other.status_code == 404
