"""Overdue cases escalate: first to the responsible party, then, after the configured number of
working days, to the leading-group office; each level once per stage deadline."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.choices import NotificationKind, Role
from accounts.models import Notification
from agencies.models import Schedule
from anji_recycling.anji_time import ANJI
from inspections.choices import Actor, CaseStatus, EscalationLevel, Stage
from inspections.escalation import escalate_overdue_cases
from inspections.models import CaseEscalation
from inspections.services import decide_request, request_more_time
from tests.conftest import CHANGSHUO
from tests.factories import make_user

from .conftest import report
from .test_case_lifecycle import bring_to

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 9, 30)  # Wednesday before National Day (1–7 Oct; Sat 10 Oct is worked)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ANJI)


def scan(day: dt.date, hour: int = 9) -> dict:
    with time_machine.travel(at(day, hour), tick=False):
        return escalate_overdue_cases(now=timezone.now())


def received(user, kind=None):
    notes = Notification.objects.filter(recipient=user)
    if kind:
        notes = notes.filter(kind=kind)
    return list(notes.order_by("pk"))


@pytest.fixture(autouse=True)
def three_day_delay(db):
    schedule = Schedule.current()
    schedule.escalation_delay_days = 3
    schedule.save()


@pytest.fixture
def people(commerce_admin, dipu_officer, urban_officer):
    return {Actor.COMMERCE: commerce_admin, Actor.TOWNSHIP: dipu_officer, Actor.LEAD: urban_officer}


@pytest.fixture
def late_case(built_up_site, dipu_grid_worker):
    """A piling case (lead: 县综合执法局) reported on Tuesday 29 Sept, to register by 30 Sept."""
    with time_machine.travel(at(dt.date(2026, 9, 29)), tick=False):
        (case,) = report(built_up_site, dipu_grid_worker, "appearance")
    assert (case.stage, case.stage_deadline) == (Stage.REGISTER, DEADLINE)
    return case


def test_the_township_is_told_the_day_after_a_registering_deadline_even_on_a_holiday(
    late_case, dipu_officer, urban_officer, market_officer, commerce_admin
):
    """Registering is the township's to do: its officers are told, not the lead agency, which
    has nothing to do before the case is dispatched."""
    assert scan(DEADLINE, hour=23)["overdue"] == 0
    assert received(dipu_officer) == []

    counts = scan(dt.date(2026, 10, 1))

    assert counts == {"overdue": 1, "agency": 1, "office": 0, "notified": 1, "unreached": 0}
    (note,) = received(dipu_officer)
    assert note.kind == NotificationKind.CASE_OVERDUE
    assert late_case.number in note.title
    assert "2026-09-30" in note.body
    assert note.link == late_case.get_absolute_url()
    assert note.dedupe_key == f"escalation:{late_case.pk}:register:2026-09-30:agency"
    assert received(urban_officer) == []
    assert received(market_officer) == []
    assert received(commerce_admin) == []


def test_the_office_is_told_on_the_third_working_day_after_the_deadline(
    late_case, urban_officer, commerce_admin
):
    for day in [1, 2, 5, 7, 8, 9]:  # the holiday, then two working days: not yet
        scan(dt.date(2026, 10, day))
        assert received(commerce_admin) == [], day

    counts = scan(dt.date(2026, 10, 10))  # Saturday, a make-up working day: the third

    assert counts["office"] == 1
    (note,) = received(commerce_admin)
    assert note.kind == NotificationKind.CASE_ESCALATED
    assert late_case.number in note.title
    assert "3" in note.body
    assert note.link == late_case.get_absolute_url()


def test_a_repeated_scan_tells_nobody_twice(late_case, dipu_officer, commerce_admin):
    for day in [dt.date(2026, 10, 10), dt.date(2026, 10, 10), dt.date(2026, 10, 12)]:
        scan(day)

    assert len(received(dipu_officer)) == 1
    assert len(received(commerce_admin)) == 1
    assert sorted(late_case.escalations.values_list("level", flat=True)) == [
        EscalationLevel.AGENCY,
        EscalationLevel.OFFICE,
    ]
    assert scan(dt.date(2026, 10, 13)) == {
        "overdue": 1,
        "agency": 0,
        "office": 0,
        "notified": 0,
        "unreached": 0,
    }


def test_an_escalation_recorded_by_another_scan_is_not_notified_again(late_case, dipu_officer):
    CaseEscalation.objects.create(
        case=late_case, stage=Stage.REGISTER, stage_deadline=DEADLINE, level="agency"
    )

    assert scan(dt.date(2026, 10, 1))["agency"] == 0
    assert received(dipu_officer) == []


def test_a_case_led_by_the_township_goes_to_the_townships_officers(
    built_up_site, dipu_grid_worker, dipu_officer, commerce_admin
):
    changshuo_officer = make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
    with time_machine.travel(at(dt.date(2026, 9, 29)), tick=False):
        (case,) = report(built_up_site, dipu_grid_worker, "illegal_building")
    assert case.lead_agency is None

    scan(dt.date(2026, 10, 1))

    (note,) = received(dipu_officer)
    assert note.kind == NotificationKind.CASE_OVERDUE
    assert case.number in note.title
    assert received(dipu_grid_worker) == []
    assert received(changshuo_officer) == []
    assert received(commerce_admin) == []


def test_closed_cases_and_inactive_officers_are_left_alone(late_case, people, dipu_officer):
    second = make_user(Role.TOWNSHIP_OFFICER, township_code="330523001", is_active=False)
    scan(dt.date(2026, 10, 1))
    assert len(received(dipu_officer)) == 1
    assert received(second) == []

    with time_machine.travel(at(dt.date(2026, 10, 9)), tick=False):
        bring_to(late_case, CaseStatus.DISMISSED, people)
    assert scan(dt.date(2026, 10, 12))["overdue"] == 0


def test_an_approved_extension_escalates_afresh_after_the_new_deadline(
    built_up_site, dipu_grid_worker, people, urban_officer, commerce_admin
):
    with time_machine.travel(at(dt.date(2026, 9, 24)), tick=False):
        (case,) = report(built_up_site, dipu_grid_worker, "appearance")
        case = bring_to(case, CaseStatus.HANDLING, people)
    assert (case.stage, case.stage_deadline) == (Stage.HANDLE, DEADLINE)

    scan(dt.date(2026, 10, 1))
    # In handling the lead agency is the one to act: its officers are told, not the township.
    assert len(received(urban_officer)) == 1
    assert received(people[Actor.TOWNSHIP], NotificationKind.CASE_OVERDUE) == []

    with time_machine.travel(at(dt.date(2026, 10, 8), hour=8), tick=False):
        request = request_more_time(
            case=case, kind="extension", days=2, reason="需要补充证据", actor=urban_officer
        )
        decide_request(request=request, approve=True, actor=commerce_admin, comment="同意")
    case.refresh_from_db()
    assert case.stage_deadline == dt.date(2026, 10, 10)

    for day in [8, 9, 10]:  # 10 Oct: the old deadline would have reached the office
        assert scan(dt.date(2026, 10, day))["overdue"] == 0
    assert len(received(urban_officer)) == 1
    assert received(commerce_admin, NotificationKind.CASE_ESCALATED) == []

    scan(dt.date(2026, 10, 12))

    first, second = received(urban_officer)
    assert "2026-10-10" in second.body
    assert second.dedupe_key == f"escalation:{case.pk}:handle:2026-10-10:agency"
    assert received(commerce_admin, NotificationKind.CASE_ESCALATED) == []
    assert case.escalations.filter(level="agency").count() == 2

    scan(dt.date(2026, 10, 15))  # three working days after the new deadline
    (note,) = received(commerce_admin, NotificationKind.CASE_ESCALATED)
    assert note.dedupe_key == f"escalation:{case.pk}:handle:2026-10-10:office"


def test_a_scan_with_nothing_new_takes_a_fixed_number_of_queries(
    late_case, built_up_site, dipu_grid_worker, urban_officer, django_assert_max_num_queries
):
    with time_machine.travel(at(dt.date(2026, 9, 29)), tick=False):
        report(built_up_site, dipu_grid_worker, "pollution")
    scan(dt.date(2026, 10, 12))

    with django_assert_max_num_queries(3):
        counts = scan(dt.date(2026, 10, 13))
    assert counts["overdue"] == 2


def test_the_periodic_task_uses_the_date_in_anji(late_case, dipu_officer):
    from inspections.tasks import escalate_overdue_cases as task

    with time_machine.travel(dt.datetime(2026, 9, 30, 16, 30, tzinfo=dt.UTC), tick=False):
        result = task.apply().get()  # 1 October, 00:30 in Anji

    assert result["agency"] == 1
    assert len(received(dipu_officer)) == 1
