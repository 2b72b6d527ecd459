"""The market's policies walked against their services: for every state of a transfer and of a
settlement, every person and every action, `allowed_actions` offers the action exactly when the
service takes it (tests/policy_walk.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.policy_walk import disagreements, people_of_each_role
from trade import services as trade_services
from trade.choices import SettlementAction, TransferAction
from trade.models import Settlement, Transfer
from trade.policy import SETTLEMENT_POLICY, TRANSFER_POLICY

from .conftest import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(request):
    return people_of_each_role(request)


# Transfers and settlements (trade) -----------------------------------------------------------


@pytest.mark.parametrize("state", ["new", "open", "settled"])
def test_the_transfer_policy_agrees_with_its_services(people, network, paper, state):
    values = {
        "transferred_on": dt.date(2026, 3, 10),
        "from_site": network.dipu_point,
        "to_site": network.dipu_station,
        "material": paper,
        "weight_kg": Decimal("1000"),
        "unit_price": Decimal("1500"),
    }
    stored = None
    if state != "new":
        stored = deliver(
            actor=people["commerce"],
            from_site=network.dipu_point,
            to_site=network.dipu_station,
            material=paper,
        )
    if state == "settled":
        _settle(people["commerce"], network, [stored])

    def load():
        if stored is None:
            return Transfer(**values)
        return Transfer.objects.select_related("from_site", "to_site").get(pk=stored.pk)

    def call(action, transfer, person):
        if action == TransferAction.RECORD:
            if transfer.pk is not None:
                return None  # recording creates a transfer; this one exists
            return lambda: trade_services.record_transfer(transfer=transfer, actor=person)
        if transfer.pk is None:
            return None  # a transfer not recorded is not corrected
        transfer.weight_kg = Decimal("900")
        return lambda: trade_services.correct_transfer(transfer=transfer, actor=person)

    assert disagreements(TRANSFER_POLICY, load=load, people=people, call=call) == []


def _settle(actor, network, transfers):
    return trade_services.settle_transfers(
        payer=network.dipu_station,
        payee=network.dipu_point,
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 3, 15),
        transfers=transfers,
        actor=actor,
    )


@pytest.mark.parametrize("state", ["new", "unpaid", "paid"])
def test_the_settlement_policy_agrees_with_its_services(people, network, paper, state):
    received = deliver(
        actor=people["commerce"],
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
    )
    stored = None
    if state != "new":
        stored = _settle(people["commerce"], network, [received])
    if state == "paid":
        trade_services.pay_settlement(
            settlement=stored,
            paid_on=dt.date(2026, 3, 18),
            payment_reference="转账",
            actor=people["commerce"],
        )

    def load():
        if stored is None:
            return Settlement(payer=network.dipu_station, payee=network.dipu_point)
        return Settlement.objects.select_related("payer").get(pk=stored.pk)

    def call(action, settlement, person):
        if action == SettlementAction.RECORD:
            if settlement.pk is not None:
                return None  # settling makes a new settlement; this one exists
            return lambda: _settle(person, network, [received])
        if settlement.pk is None:
            return None  # a settlement not made is not paid
        return lambda: trade_services.pay_settlement(
            settlement=settlement,
            paid_on=dt.date(2026, 3, 18),
            payment_reference="转账",
            actor=person,
        )

    assert disagreements(SETTLEMENT_POLICY, load=load, people=people, call=call) == []
