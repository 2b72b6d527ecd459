"""Deadlines count Chinese working days: weekends, public holidays and 调休 make-up days."""

import datetime as dt

import pytest

from anji_recycling.workdays import add_working_days, is_working_day, working_days_between


def test_national_day_week_is_skipped_and_the_make_up_saturday_counts():
    # 2026: 1–7 October are holidays; Saturday 10 October is a make-up workday.
    assert not is_working_day(dt.date(2026, 10, 5))
    assert is_working_day(dt.date(2026, 10, 10))
    # From Wednesday 30 September, 3 working days: 8, 9 and (Saturday) 10 October.
    assert add_working_days(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)
    assert working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 10)) == 3


def test_plain_weekends_are_skipped():
    # Friday 6 November 2026 + 1 working day = Monday 9 November.
    assert add_working_days(dt.date(2026, 11, 6), 1) == dt.date(2026, 11, 9)
    assert add_working_days(dt.date(2026, 11, 6), 0) == dt.date(2026, 11, 6)


def test_a_year_the_calendar_does_not_know_yet_counts_monday_to_friday(caplog):
    # Friday 7 January 2028 + 1 working day = Monday 10 January (weekend skipped).
    assert add_working_days(dt.date(2028, 1, 7), 1) == dt.date(2028, 1, 10)
    assert "No official holiday calendar" in caplog.text


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 1, 5), -1)
