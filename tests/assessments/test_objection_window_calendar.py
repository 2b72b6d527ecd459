"""The objection window is stored when results are published, provisional while it reaches into
a year whose holidays are not known, and follows the calendar when they are entered."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies import services as calendar_services
from agencies.models import HolidayArrangement
from assessments.services import compute_period, file_objection, lock_period, publish_period

from .conftest import at
from .test_deductions_and_objections import deduct

pytestmark = pytest.mark.django_db

NOTICE = "国办发明电〔2026〕7号"


@pytest.fixture
def published_before_new_year(q1, xilong, assessor, commerce_admin):
    """Published on Monday 28 December 2026; five working days to object."""
    deduction = deduct(q1, xilong, assessor)
    with time_machine.travel(at(dt.date(2026, 12, 28)), tick=False):
        compute_period(period=q1, actor=commerce_admin)
        lock_period(period=q1, actor=commerce_admin)
        publish_period(period=q1, actor=commerce_admin)
    q1.refresh_from_db()
    return deduction


def test_the_window_into_2027_is_provisional_and_moves_with_the_entered_holidays(
    q1,
    published_before_new_year,
    commerce_admin,
    xilong_officer,
    client,
    django_capture_on_commit_callbacks,
):
    # 29, 30, 31 December, (1 January is 元旦 by law), 4 and 5 January.
    assert (q1.objection_deadline, q1.objection_deadline_provisional) == (
        dt.date(2027, 1, 5),
        True,
    )
    with time_machine.travel(at(dt.date(2026, 12, 29)), tick=False):
        client.force_login(xilong_officer)
        page = client.get(
            reverse("assessments:deduction-detail", args=[published_before_new_year.pk]),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ).content.decode()
    assert "2027-01-05" in page and "暂定" in page

    with (
        time_machine.travel(at(dt.date(2026, 12, 29)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for day in (dt.date(2027, 1, 1), dt.date(2027, 1, 4)):
            calendar_services.save_holiday_arrangement(
                arrangement=HolidayArrangement(
                    day=day, kind="rest", name="元旦", notice_number=NOTICE
                ),
                actor=commerce_admin,
            )
        calendar_services.mark_calendar_year_complete(
            year=2027, notice_number=NOTICE, actor=commerce_admin
        )
    q1.refresh_from_db()
    assert (q1.objection_deadline, q1.objection_deadline_provisional) == (
        dt.date(2027, 1, 6),
        False,
    )
    record = q1.history.latest()
    assert record.history_user == commerce_admin
    assert "异议期重新计算" in record.history_change_reason

    with time_machine.travel(at(dt.date(2027, 1, 6)), tick=False):
        file_objection(deduction=published_before_new_year, reason="最后一天", actor=xilong_officer)
    with (
        time_machine.travel(at(dt.date(2027, 1, 7)), tick=False),
        pytest.raises(ValidationError, match="2027-01-06"),
    ):
        file_objection(deduction=published_before_new_year, reason="晚了", actor=xilong_officer)
