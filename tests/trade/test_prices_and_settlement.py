"""The price board on a date, prices below it, and settlement of received transfers."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import translation

from trade import selectors, services
from trade.models import MaterialGrade, PriceEntry, Transfer

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def chinese_and_today():
    with translation.override("zh-hans"), time_machine.travel(TODAY, tick=False):
        yield


def publish(actor, material, price, on, *, tier=3, grade=None):
    return services.publish_price(
        entry=PriceEntry(
            material=material,
            grade=grade,
            seller_tier=tier,
            price=Decimal(price),
            effective_from=on,
        ),
        actor=actor,
    )


@pytest.fixture
def board(commerce_admin, paper):
    publish(commerce_admin, paper, "1400", dt.date(2026, 1, 1))
    publish(commerce_admin, paper, "1600", dt.date(2026, 3, 1))
    publish(commerce_admin, paper, "1700", dt.date(2026, 3, 1), tier=2)
    yellow = MaterialGrade.objects.get(material=paper, name="黄板纸")
    publish(commerce_admin, paper, "1800", dt.date(2026, 2, 1), grade=yellow)
    return yellow


def test_the_board_price_is_the_latest_in_force_on_the_day(board, paper):
    assert selectors.price_on(material=paper, seller_tier=3, on=dt.date(2025, 12, 31)) is None
    assert selectors.price_on(material=paper, seller_tier=3, on=dt.date(2026, 2, 28)) == 1400
    assert selectors.price_on(material=paper, seller_tier=3, on=dt.date(2026, 3, 1)) == 1600
    assert selectors.price_on(material=paper, seller_tier=2, on=dt.date(2026, 3, 1)) == 1700
    # A grade's own price wins over the material's.
    assert selectors.price_on(
        material=paper, seller_tier=3, on=dt.date(2026, 3, 5), grade=board
    ) == Decimal("1800")


def test_each_transfers_board_price_in_sql_is_the_price_on_its_day(
    board, network, paper, commerce_admin
):
    """The transfer lists and the market figures read the board in SQL (`with_board_prices`,
    sparing the grade's subquery for transfers without a grade): the same price `price_on`
    gives, graded or not, a grade without a price of its own falling back to the material's."""
    newsprint = MaterialGrade.objects.exclude(pk=board.pk).filter(material=paper).first()
    for on in (dt.date(2026, 1, 15), dt.date(2026, 2, 1), dt.date(2026, 3, 10)):
        for grade in (None, board, newsprint):
            for from_site, to_site in [
                (network.dipu_point, network.dipu_station),
                (network.dipu_station, network.centre),
            ]:
                deliver(
                    actor=commerce_admin,
                    from_site=from_site,
                    to_site=to_site,
                    material=paper,
                    on=on,
                    grade=grade,
                )
    transfers = selectors.with_board_prices(Transfer.objects.select_related("from_site"))
    prices = {(t.transferred_on, t.grade_id, t.from_site.tier): t.board_price for t in transfers}
    assert len(prices) == 18
    for (on, grade_id, tier), price in prices.items():
        grade = MaterialGrade.objects.filter(pk=grade_id).first()
        expected = selectors.price_on(material=paper, seller_tier=tier, on=on, grade=grade)
        assert price == expected, (on, grade, tier)
    assert prices[(dt.date(2026, 3, 10), board.pk, 3)] == Decimal("1800")
    assert prices[(dt.date(2026, 3, 10), newsprint.pk, 3)] == Decimal("1600")
    assert prices[(dt.date(2026, 1, 15), board.pk, 3)] == Decimal("1400")


def test_the_current_board_shows_each_price_with_the_one_before(board, commerce_admin):
    rows = selectors.current_board(user=commerce_admin, on=dt.date(2026, 3, 20))
    material_rows = [(r.grade_id, r.seller_tier, r.price, r.previous_price) for r in rows]
    assert (None, 3, Decimal("1600.00"), Decimal("1400.00")) in material_rows
    assert (None, 2, Decimal("1700.00"), None) in material_rows


@override_settings(TRADE_PRICE_MARGIN_PERCENT=10)
def test_a_front_end_price_more_than_the_margin_below_the_board_is_flagged(
    board, network, paper, commerce_admin
):
    fair = deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        price="1440",
    )  # 10 % below
    low = deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        price="1439.99",
    )
    graded = deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        price="1500",
        grade=board,
    )
    station = deliver(
        actor=commerce_admin,
        from_site=network.dipu_station,
        to_site=network.centre,
        material=paper,
        price="1600",
    )
    rows = {row.pk: row for row in selectors.transfers_for_list(user=commerce_admin)}
    assert (rows[fair.pk].board_price, rows[fair.pk].below_board) == (Decimal("1600"), False)
    assert rows[low.pk].below_board is True
    assert (rows[graded.pk].board_price, rows[graded.pk].below_board) == (Decimal("1800"), True)
    assert (rows[station.pk].board_price, rows[station.pk].below_board) == (Decimal("1700"), False)


def test_only_the_commerce_bureau_publishes_prices(paper, dipu_officer):
    with pytest.raises(PermissionDenied):
        publish(dipu_officer, paper, "1500", dt.date(2026, 3, 1))
    assert not PriceEntry.objects.exists()


def test_a_price_change_is_kept_in_history(board, paper, commerce_admin):
    entry = PriceEntry.objects.get(price=1600)
    entry.price = Decimal("1650")
    services.publish_price(entry=entry, actor=commerce_admin)
    assert [h.price for h in entry.history.order_by("history_date")] == [1600, 1650]


# Settlement ---------------------------------------------------------------------------------


@pytest.fixture
def received(network, paper, dipu_officer):
    return [
        deliver(
            actor=dipu_officer,
            from_site=network.dipu_point,
            to_site=network.dipu_station,
            material=paper,
            weight=weight,
            price="1500",
            on=dt.date(2026, 3, day),
        )
        for weight, day in (("1000", 2), ("333.33", 9), ("2000", 16))
    ]


def settle(actor, network, transfers, **kwargs):
    return services.settle_transfers(
        payer=network.dipu_station,
        payee=network.dipu_point,
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 15),
        transfers=transfers,
        actor=actor,
        **kwargs,
    )


def test_a_settlement_totals_its_transfers(network, received, dipu_officer):
    settlement = settle(dipu_officer, network, received[:2], payment_reference="转账20260316")
    assert settlement.amount == Decimal("1500.00") + Decimal("500.00")  # 333.33 kg → 499.995
    assert services.settled_total(settlement) == settlement.amount
    assert set(Transfer.objects.filter(settlement=settlement)) == set(received[:2])
    assert received[0].history.latest().settlement_id == settlement.pk
    assert settlement.status == "unpaid"
    services.pay_settlement(
        settlement=settlement,
        paid_on=dt.date(2026, 3, 18),
        payment_reference="转账20260318",
        actor=dipu_officer,
    )
    settlement.refresh_from_db()
    assert settlement.status == "paid"


def test_a_transfer_is_settled_once(network, received, dipu_officer):
    first = settle(dipu_officer, network, received[:1])
    with pytest.raises(ValidationError) as caught:
        settle(dipu_officer, network, received[:2])
    expected = f"交售 {received[0].pk} 已结算（结算单 {first.pk}）。"
    assert caught.value.message_dict["transfers"] == [expected]
    assert Transfer.objects.get(pk=received[1].pk).settlement_id is None


def test_another_stations_transfer_is_refused(network, paper, received, commerce_admin):
    other = deliver(
        actor=commerce_admin,
        from_site=network.cs_point,
        to_site=network.cs_station,
        material=paper,
        on=dt.date(2026, 3, 3),
    )
    with pytest.raises(ValidationError) as caught:
        settle(commerce_admin, network, [received[0], other])
    assert "不是递铺网点交售给递铺中转站的" in caught.value.message_dict["transfers"][0]
    assert not Transfer.objects.filter(settlement__isnull=False).exists()


def test_a_transfer_outside_the_period_is_refused(network, received, dipu_officer):
    with pytest.raises(ValidationError) as caught:
        settle(dipu_officer, network, received)
    assert "不在结算期内" in caught.value.message_dict["transfers"][0]


def test_a_settled_transfer_cannot_be_corrected(network, received, dipu_officer):
    settle(dipu_officer, network, received[:1])
    transfer = Transfer.objects.get(pk=received[0].pk)
    transfer.weight_kg = Decimal(5)
    with pytest.raises(ValidationError) as caught:
        services.correct_transfer(transfer=transfer, actor=dipu_officer)
    assert "已结算" in caught.value.messages[0]


def test_another_township_does_not_settle_for_the_station(network, received, changshuo):
    from tests.factories import make_user

    officer = make_user("township_officer", township_code=changshuo.code)
    with pytest.raises(PermissionDenied):
        settle(officer, network, received[:1])


def test_a_second_price_for_the_same_day_is_refused(board, paper, commerce_admin):
    with pytest.raises(ValidationError) as caught:
        publish(commerce_admin, paper, "1650", dt.date(2026, 3, 1))
    assert caught.value.messages == ["该品类、品级和交售环节当日已有执行的指导价。"]
    with pytest.raises(ValidationError):
        publish(commerce_admin, paper, "1900", dt.date(2026, 2, 1), grade=board)
    assert PriceEntry.objects.count() == 4
