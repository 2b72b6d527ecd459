"""The market's scan tells townships: a mass-balance flag of one of its sites once (however
often the scan runs, and not once cleared), and a settlement backlog once a week."""

import datetime as dt

import pytest
import time_machine

from accounts.choices import NotificationKind, Role
from accounts.models import Notification
from tests.factories import make_user
from trade import reminders, services
from trade.choices import BalanceFlagKind

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def changshuo_officer(db):
    return make_user(Role.TOWNSHIP_OFFICER, township_code="330523002")


def flag_notes(site):
    return Notification.objects.filter(dedupe_key__startswith=f"balance-flag:{site.pk}:")


def test_a_flag_is_told_to_the_sites_township_once(
    network, paper, commerce_admin, dipu_officer, changshuo_officer
):
    # 递铺中转站 sends the centre a tonne of paper in February that it never received.
    deliver(
        actor=commerce_admin,
        from_site=network.dipu_station,
        to_site=network.centre,
        material=paper,
        on=dt.date(2026, 2, 10),
    )
    reminders.notify_balance_flags(today=TODAY)
    reminders.notify_balance_flags(today=TODAY)  # again, as the next scan does

    notes = flag_notes(network.dipu_station)
    assert [(n.recipient, n.link) for n in notes] == [
        (dipu_officer, "/market/balance/?month=2026-02")
    ]
    assert network.dipu_station.name in notes[0].title
    assert notes[0].kind == NotificationKind.BALANCE_FLAG
    assert not flag_notes(network.dipu_station).filter(recipient=changshuo_officer).exists()


def test_a_cleared_flag_is_not_told(network, paper, commerce_admin, dipu_officer):
    deliver(
        actor=commerce_admin,
        from_site=network.dipu_station,
        to_site=network.centre,
        material=paper,
        on=dt.date(2026, 2, 10),
    )
    services.clear_flag(
        site=network.dipu_station,
        month=dt.date(2026, 2, 1),
        kind=BalanceFlagKind.OVER_FORWARDED,
        material=paper,
        explanation="一月底库存未申报，已补报",
        actor=dipu_officer,
    )
    reminders.notify_balance_flags(today=TODAY)
    assert not flag_notes(network.dipu_station).exists()


def test_a_settlement_backlog_is_reminded_once_a_week(network, paper, commerce_admin, dipu_officer):
    deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        on=dt.date(2026, 1, 10),
    )
    deliver(  # recent: not yet late
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        on=dt.date(2026, 3, 18),
    )
    assert reminders.remind_unsettled(today=TODAY)["notified"] == 1
    assert reminders.remind_unsettled(today=TODAY + dt.timedelta(days=2))["notified"] == 0
    note = Notification.objects.get(dedupe_key__startswith="unsettled:")
    assert note.kind == NotificationKind.SETTLEMENT_DUE
    assert note.recipient == dipu_officer
    assert "1" in note.title and "2026-01-10" in note.body
    assert reminders.remind_unsettled(today=TODAY + dt.timedelta(days=7))["notified"] == 1
