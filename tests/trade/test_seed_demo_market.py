"""`seed_demo` gives the demo a market in which every flag can be seen."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from anji_recycling.anji_time import ANJI
from trade import selectors
from trade.balance import monthly_balance
from trade.models import PriceEntry, Settlement, Shipment, Transfer

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 10, tzinfo=ANJI)


def test_the_demo_market_shows_every_flag(commerce_admin):
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo")
        balance = monthly_balance(user=commerce_admin, month=dt.date(2026, 10, 1))
        below = selectors.transfers_for_list(user=commerce_admin).filter(below_board=True)
        assert below.exists()

    assert Transfer.objects.filter(transferred_on__lt=dt.date(2026, 1, 1)).exists()
    assert PriceEntry.objects.values("effective_from").distinct().count() == 12
    assert Settlement.objects.exists()
    assert not Transfer.objects.filter(
        settlement__isnull=True, transferred_on__lt=dt.date(2026, 9, 1)
    ).exists()
    assert Shipment.objects.count() == 2
    assert {flag.kind for flag in balance.flags} == {
        "over_forwarded",
        "over_capacity",
        "idle_point",
    }
