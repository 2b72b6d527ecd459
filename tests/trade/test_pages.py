"""The market's pages: every role opens them in Chinese, a station's officer records a receipt
through the page (bad input answered on the form, nothing written), a township sees only its
own sites' transfers, and lists run a fixed number of queries however many rows."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from trade.models import Transfer

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

PAGES = [
    "trade:transfer-list",
    "trade:price-board",
    "trade:settlement-list",
    "trade:shipment-list",
    "trade:balance",
]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def market(network, paper, commerce_admin):
    deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
    )
    deliver(
        actor=commerce_admin,
        from_site=network.cs_point,
        to_site=network.cs_station,
        material=paper,
        weight="777",
    )
    return network


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", PAGES)
def test_every_market_page_opens_for_every_role(client, users_by_role, market, role, name):
    client.force_login(users_by_role[role])
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "回收市场" in response.content.decode()


def test_a_station_officer_records_a_receipt_on_the_page(client, network, paper, dipu_officer):
    client.force_login(dipu_officer)
    form = client.get(reverse("trade:transfer-create"))
    assert form.status_code == 200
    assert 'value="2026-03-20"' in form.content.decode()  # ISO date in the picker

    response = client.post(
        reverse("trade:transfer-create"),
        {
            "transferred_on": "2026-03-19",
            "from_site": network.dipu_point.pk,
            "to_site": network.dipu_station.pk,
            "material": paper.pk,
            "weight_kg": "356.5",
            "unit_price": "1500",
        },
    )

    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == transfer.get_absolute_url()
    assert (transfer.weight_kg, transfer.amount) == (Decimal("356.50"), Decimal("534.75"))
    assert transfer.entered_by == dipu_officer
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert "534.75" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weight_kg": "-3"}, "净重必须大于0公斤。"),
        ({"unit_price": "0"}, "单价为0时须说明原因。"),
        ({"transferred_on": "2026-03-21"}, "日期不能晚于今天。"),
        ({"weight_kg": "很多"}, "输入一个数字。"),
    ],
)
def test_bad_input_on_the_page_is_answered_in_chinese(
    client, network, paper, dipu_officer, change, message
):
    client.force_login(dipu_officer)
    data = {
        "transferred_on": "2026-03-19",
        "from_site": network.dipu_point.pk,
        "to_site": network.dipu_station.pk,
        "material": paper.pk,
        "weight_kg": "100",
        "unit_price": "1500",
        **change,
    }
    response = client.post(reverse("trade:transfer-create"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Transfer.objects.exists()


def test_a_township_officer_cannot_enter_another_townships_transfer(
    client, network, paper, dipu_officer
):
    client.force_login(dipu_officer)
    response = client.post(
        reverse("trade:transfer-create"),
        {
            "transferred_on": "2026-03-19",
            "from_site": network.cs_point.pk,
            "to_site": network.cs_station.pk,
            "material": paper.pk,
            "weight_kg": "100",
            "unit_price": "1500",
        },
    )
    assert response.status_code == 200  # the point is not among the officer's choices
    assert not Transfer.objects.exists()


def test_a_township_sees_only_its_own_sites_transfers(client, market, dipu_officer):
    client.force_login(dipu_officer)
    listed = client.get(reverse("trade:transfer-list")).context["object_list"]
    assert {t.from_site for t in listed} == {market.dipu_point}
    other = Transfer.objects.get(from_site=market.cs_point)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("trade:transfer-update", args=[other.pk])).status_code == 404


def test_the_ledger_export_holds_the_list_and_only_the_users_scope(
    client, market, dipu_officer, commerce_admin
):
    def rows(user):
        client.force_login(user)
        response = client.get(reverse("trade:transfer-export"))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert "截至" in sheet["A1"].value
        return [row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)]

    assert [row[2] for row in rows(dipu_officer)] == ["递铺网点"]
    assert sorted(row[9] for row in rows(commerce_admin)) == [777, 1000]


def test_a_settlement_is_made_and_paid_on_the_pages(client, market, dipu_officer):
    client.force_login(dipu_officer)
    response = client.post(
        reverse("trade:settlement-create"),
        {
            "payer": market.dipu_station.pk,
            "payee": market.dipu_point.pk,
            "period_start": "2026-03-01",
            "period_end": "2026-03-15",
        },
    )
    transfer = Transfer.objects.get(from_site=market.dipu_point)
    assert transfer.settlement is not None
    assert response["Location"] == transfer.settlement.get_absolute_url()
    client.post(
        reverse("trade:settlement-pay", args=[transfer.settlement.pk]),
        {"paid_on": "2026-03-18", "payment_reference": "转账001"},
    )
    transfer.settlement.refresh_from_db()
    assert transfer.settlement.paid_on == dt.date(2026, 3, 18)
    again = client.post(
        reverse("trade:settlement-create"),
        {
            "payer": market.dipu_station.pk,
            "payee": market.dipu_point.pk,
            "period_start": "2026-03-01",
            "period_end": "2026-03-15",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "请选择要结算的交售。" in again.content.decode()


@pytest.mark.parametrize("name", [*PAGES, "trade:transfer-export"])
def test_market_pages_run_a_fixed_number_of_queries(
    client, market, paper, commerce_admin, name, django_assert_max_num_queries
):
    for day in range(1, 20):
        deliver(
            actor=commerce_admin,
            from_site=market.dipu_point,
            to_site=market.dipu_station,
            material=paper,
            on=dt.date(2026, 3, day),
        )
    client.force_login(commerce_admin)
    with django_assert_max_num_queries(16):
        response = client.get(reverse(name))
        assert response.status_code == 200


def test_the_commerce_bureau_publishes_a_price_and_everyone_sees_the_board(
    client, paper, commerce_admin, dipu_officer
):
    client.force_login(commerce_admin)
    response = client.post(
        reverse("trade:price-create"),
        {"material": paper.pk, "seller_tier": 3, "price": "1520", "effective_from": "2026-03-16"},
    )
    assert response.status_code == 302
    client.force_login(dipu_officer)
    board = client.get(reverse("trade:price-board")).context["board"]
    assert [(entry.material, entry.price) for entry in board] == [(paper, Decimal("1520.00"))]
    assert client.get(reverse("trade:price-create")).status_code == 403


def test_the_centre_records_a_shipment_on_the_page(client, network, paper, commerce_admin):
    from tests.factories import credit_code

    client.force_login(commerce_admin)
    response = client.post(
        reverse("trade:shipment-create"),
        {
            "shipped_on": "2026-03-18",
            "from_site": network.centre.pk,
            "processor_name": "浙江某纸业有限公司",
            "processor_credit_code": credit_code(5).lower(),
            "processor_region": "湖州市",
            "material": paper.pk,
            "weight_kg": "25000",
        },
    )
    assert response.status_code == 302
    listed = client.get(reverse("trade:shipment-list"))
    (shipment,) = listed.context["object_list"]
    assert shipment.processor_credit_code == credit_code(5)
    assert listed.context["totals"]["weight_kg"] == Decimal("25000.00")


def test_a_station_declares_its_month_end_stock(client, network, paper, dipu_officer):
    client.force_login(dipu_officer)
    response = client.post(
        reverse("trade:stock-create"),
        {
            "site": network.dipu_station.pk,
            "month": "2026-02-28",
            "material": paper.pk,
            "stock_kg": "800",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?month=2026-02")
    balance = client.get(response["Location"]).context["balance"]
    assert [(row.site, row.closing) for row in balance.rows] == [(network.dipu_station, 800)]


def test_the_admin_shows_a_township_only_its_own_transfers(client, market, dipu_officer):
    client.force_login(dipu_officer)
    changelist = client.get(reverse("admin:trade_transfer_changelist"))
    assert changelist.status_code == 200
    shown = {transfer.from_site for transfer in changelist.context["cl"].result_list}
    assert shown == {market.dipu_point}
    other = Transfer.objects.get(from_site=market.cs_point)
    assert client.get(reverse("admin:trade_transfer_change", args=[other.pk])).status_code == 302
