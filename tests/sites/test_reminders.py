"""Townships are reminded of their operators' expiring licences and overdue filings, once."""

import datetime as dt

import pytest
import time_machine

from accounts.choices import NotificationKind, Role
from accounts.models import Notification
from agencies.models import Schedule
from sites.reminders import remind_licences
from sites.services import save_operator
from tests.conftest import CHANGSHUO
from tests.factories import make_operator, make_user

pytestmark = pytest.mark.django_db

EXPIRY = dt.date(2026, 6, 30)


def received(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("pk"))


@pytest.fixture(autouse=True)
def thirty_day_window(db):
    schedule = Schedule.current()
    schedule.licence_reminder_days = 30
    schedule.save()


@pytest.fixture
def changshuo_officer(db):
    return make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)


@pytest.fixture
def expiring(commerce_admin):
    """A filed operator in 递铺街道 whose licence runs until 30 June 2026."""
    return make_operator(
        actor=commerce_admin,
        seed=1,
        licence_issued_on=dt.date(2024, 7, 1),
        licence_valid_until=EXPIRY,
        filed_on=dt.date(2024, 7, 10),
    )


@pytest.fixture
def unfiled(commerce_admin):
    """An operator in 递铺街道 licensed on 1 May 2026, to file by 31 May, not filed."""
    return make_operator(actor=commerce_admin, seed=2, licence_issued_on=dt.date(2026, 5, 1))


def test_an_expiring_licence_is_reminded_from_the_start_of_the_window(expiring, dipu_officer):
    assert remind_licences(today=dt.date(2026, 5, 30))["expiring"] == 0
    assert received(dipu_officer, NotificationKind.LICENCE_EXPIRING) == []

    counts = remind_licences(today=dt.date(2026, 5, 31))

    assert counts == {"expiring": 1, "filing_overdue": 0, "notified": 1}
    (note,) = received(dipu_officer, NotificationKind.LICENCE_EXPIRING)
    assert expiring.name in note.title
    assert "2026-06-30" in note.title
    assert note.link == expiring.get_absolute_url()


def test_an_expiring_licence_is_reminded_once(expiring, dipu_officer):
    for day in [dt.date(2026, 5, 31), dt.date(2026, 6, 1), EXPIRY]:
        remind_licences(today=day)

    assert len(received(dipu_officer, NotificationKind.LICENCE_EXPIRING)) == 1


def test_an_expired_licence_is_not_reminded(expiring, dipu_officer):
    assert remind_licences(today=EXPIRY + dt.timedelta(days=1))["expiring"] == 0
    assert received(dipu_officer, NotificationKind.LICENCE_EXPIRING) == []


def test_a_renewed_licence_is_reminded_again_before_its_new_expiry(
    expiring, dipu_officer, commerce_admin
):
    remind_licences(today=dt.date(2026, 6, 1))
    expiring.licence_valid_until = dt.date(2029, 6, 30)
    save_operator(operator=expiring, actor=commerce_admin)

    remind_licences(today=dt.date(2029, 6, 1))

    first, second = received(dipu_officer, NotificationKind.LICENCE_EXPIRING)
    assert "2029-06-30" in second.title


def test_only_the_operators_township_officers_are_reminded(
    expiring, unfiled, dipu_officer, dipu_grid_worker, changshuo_officer, commerce_admin
):
    remind_licences(today=dt.date(2026, 6, 1))

    assert Notification.objects.filter(recipient=dipu_officer).count() == 2
    for other in [dipu_grid_worker, changshuo_officer, commerce_admin]:
        assert not Notification.objects.filter(recipient=other).exists()


def test_a_missed_filing_is_reminded_once_after_its_deadline(unfiled, dipu_officer):
    assert remind_licences(today=dt.date(2026, 5, 31))["filing_overdue"] == 0

    counts = remind_licences(today=dt.date(2026, 6, 1))
    remind_licences(today=dt.date(2026, 6, 2))

    assert counts == {"expiring": 0, "filing_overdue": 1, "notified": 1}
    (note,) = received(dipu_officer, NotificationKind.FILING_OVERDUE)
    assert unfiled.name in note.title
    assert "2026-05-31" in note.body
    assert note.link == unfiled.get_absolute_url()


def test_a_filed_operator_is_not_reminded(unfiled, dipu_officer, commerce_admin):
    unfiled.filed_on = dt.date(2026, 5, 20)
    unfiled.filing_number = "AJ-2026-001"
    save_operator(operator=unfiled, actor=commerce_admin)

    assert remind_licences(today=dt.date(2026, 6, 1))["filing_overdue"] == 0
    assert received(dipu_officer, NotificationKind.FILING_OVERDUE) == []


def test_a_township_without_officers_is_counted_but_nobody_is_told(commerce_admin):
    make_operator(
        actor=commerce_admin,
        seed=3,
        township_code=CHANGSHUO,
        licence_issued_on=dt.date(2026, 5, 1),
    )

    assert remind_licences(today=dt.date(2026, 6, 1)) == {
        "expiring": 0,
        "filing_overdue": 1,
        "notified": 0,
    }


def test_the_scan_takes_a_fixed_number_of_queries(
    commerce_admin, dipu_officer, django_assert_max_num_queries
):
    for seed in range(3, 8):
        make_operator(actor=commerce_admin, seed=seed, licence_issued_on=dt.date(2026, 5, 1))
    remind_licences(today=dt.date(2026, 6, 1))

    with django_assert_max_num_queries(9):  # schedule, two lists, officers, one read per operator
        remind_licences(today=dt.date(2026, 6, 2))


def test_the_periodic_task_uses_the_date_in_anji(unfiled, dipu_officer):
    from sites.tasks import remind_licences as task

    with time_machine.travel(dt.datetime(2026, 5, 31, 17, 0, tzinfo=dt.UTC), tick=False):
        result = task.apply().get()  # 1 June, 01:00 in Anji

    assert result["filing_overdue"] == 1
    assert len(received(dipu_officer, NotificationKind.FILING_OVERDUE)) == 1
