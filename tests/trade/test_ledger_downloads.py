"""资金结算台账 and 指导价历史 download as .xlsx for the current filters: a township's ledger
holds its own sites' settlements only, the price history every entry (superseded ones too),
text that looks like a formula stays text, and the number of queries does not grow."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import SecurityEvent
from tests.conftest import CHANGSHUO
from tests.factories import make_user
from trade import services
from trade.models import PriceEntry

from .conftest import deliver

pytestmark = pytest.mark.django_db


def rows_of(response):
    """The ledger's rows under its title and header rows, without the 序号 that counts them."""
    assert response.status_code == 200
    content = b"".join(getattr(response, "streaming_content", [])) or response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert "截至" in sheet["A1"].value
    assert sheet["A2"].value == "序号"
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True) if any(row)]
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    return [row[1:] for row in rows]


def settle(actor, station, point, paper, weights):
    transfers = [
        deliver(actor=actor, from_site=point, to_site=station, material=paper, weight=weight)
        for weight in weights
    ]
    return services.settle_transfers(
        payer=station,
        payee=point,
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 15),
        transfers=transfers,
        actor=actor,
        payment_reference='=HYPERLINK("http://x")',
    )


@pytest.fixture
def settlements(network, paper, dipu_officer):
    changshuo_officer = make_user("township_officer", township_code=CHANGSHUO)
    return (
        settle(dipu_officer, network.dipu_station, network.dipu_point, paper, ["1000", "2000"]),
        settle(changshuo_officer, network.cs_station, network.cs_point, paper, ["500"]),
    )


def test_a_township_downloads_its_own_settlements_with_the_lists_filters(
    client, dipu_officer, commerce_admin, settlements, django_assert_max_num_queries
):
    client.force_login(dipu_officer)
    with django_assert_max_num_queries(12):
        rows = rows_of(client.get(reverse("trade:settlement-export")))
    [row] = rows
    assert (row[3], row[5], row[7], row[8]) == ("递铺中转站", "递铺网点", 2, 4500)
    assert row[9] == "未付款"
    assert row[10] == '=HYPERLINK("http://x")'  # text, not a formula
    assert SecurityEvent.objects.filter(kind="export", user=dipu_officer).exists()
    client.force_login(commerce_admin)
    assert len(rows_of(client.get(reverse("trade:settlement-export")))) == 2
    assert rows_of(client.get(reverse("trade:settlement-export"), {"paid": "true"})) == []
    page = client.get(reverse("trade:settlement-list")).content.decode()
    assert reverse("trade:settlement-export") in page


def test_the_price_history_holds_every_entry_for_the_filters(
    client, dipu_officer, commerce_admin, paper, plastic
):
    for material, price, day in ((paper, "1400", 1), (paper, "1600", 20), (plastic, "900", 5)):
        services.publish_price(
            entry=PriceEntry(
                material=material,
                seller_tier=3,
                price=Decimal(price),
                effective_from=dt.date(2026, 3, day),
            ),
            actor=commerce_admin,
        )
    client.force_login(dipu_officer)
    rows = rows_of(client.get(reverse("trade:price-export")))
    assert [(row[1], row[4]) for row in rows] == [("废纸", 1400), ("废塑料", 900), ("废纸", 1600)]
    rows = rows_of(client.get(reverse("trade:price-export"), {"material": paper.pk}))
    assert [row[4] for row in rows] == [1400, 1600]
    assert (
        reverse("trade:price-export") in client.get(reverse("trade:price-board")).content.decode()
    )


def test_an_account_without_a_role_downloads_nothing(client, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(nobody)
    for name in ("trade:settlement-export", "trade:price-export"):
        assert client.get(reverse(name)).status_code == 403
