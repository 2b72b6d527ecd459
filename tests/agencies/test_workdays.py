"""Deadlines count Chinese working days: weekends, public holidays and 调休 make-up days, from
the county's own table first, then chinese-calendar, then (for a year neither knows) weekends
and the statutory holidays, provisionally."""

import datetime as dt
import logging

import pytest

from agencies import workdays
from agencies.choices import DayKind
from agencies.models import CalendarYear, HolidayArrangement
from agencies.workdays import WorkCalendar, load_calendar

D = dt.date


@pytest.fixture
def library():
    """The calendar with nothing entered by the county: chinese-calendar, then the law."""
    return WorkCalendar()


@pytest.fixture
def fresh_fallback_log(monkeypatch):
    """As in a process that has not counted a day of an unknown year yet."""
    monkeypatch.setattr(workdays, "_logged_fallback_years", set())


def test_national_day_week_is_skipped_and_the_make_up_saturday_counts(library):
    # 2026: 1–7 October are holidays; Saturday 10 October is a make-up workday.
    assert not library.is_working_day(D(2026, 10, 5))
    assert library.is_working_day(D(2026, 10, 10))
    # From Wednesday 30 September, 3 working days: 8, 9 and (Saturday) 10 October.
    deadline = library.deadline(D(2026, 9, 30), 3)
    assert deadline == workdays.Deadline(D(2026, 10, 10), provisional=False)
    assert library.working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_the_installed_chinese_calendar_is_at_least_1_11_and_has_2026():
    """pyproject pins chinese-calendar ≥ 1.11: 2026's National Day make-up Saturday is known."""
    from importlib.metadata import version

    import chinese_calendar

    assert tuple(int(part) for part in version("chinese-calendar").split(".")[:2]) >= (1, 11)
    assert chinese_calendar.is_workday(D(2026, 10, 10))
    assert workdays.library_knows(2026)


def test_plain_weekends_are_skipped(library):
    # Friday 6 November 2026 + 1 working day = Monday 9 November.
    assert library.deadline(D(2026, 11, 6), 1).day == D(2026, 11, 9)
    assert library.deadline(D(2026, 11, 6), 0).day == D(2026, 11, 6)


def test_a_deadline_across_new_year_2027_is_provisional_and_new_years_day_is_a_holiday(library):
    # chinese-calendar 1.11 stops at 2026 (and tests/conftest.py keeps 2027 unknown to the
    # tests whatever version is installed); 2027-01-01 (a Friday) is 元旦 by law.
    assert not workdays.library_knows(2027)
    assert not library.is_working_day(D(2027, 1, 1))
    # Wednesday 30 December 2026 + 2 working days: 31 December, then Monday 4 January.
    deadline = library.deadline(D(2026, 12, 30), 2)
    assert deadline == workdays.Deadline(D(2027, 1, 4), provisional=True)
    # A deadline that stays in 2026 is certain.
    assert library.deadline(D(2026, 12, 29), 2) == workdays.Deadline(D(2026, 12, 31), False)


def test_the_statutory_fallback_knows_2027s_lunar_and_solar_term_holidays(library):
    rest_days = {
        D(2027, 2, 5): "农历除夕",  # Friday: the eve is a holiday since the 2024 revision
        D(2027, 2, 8): "春节",  # Monday, 初三
        D(2027, 4, 5): "清明节",
        D(2027, 6, 9): "端午节",
        D(2027, 9, 15): "中秋节",
        D(2027, 10, 1): "国庆节",
    }
    for day, name in rest_days.items():
        assert not library.is_working_day(day), day
        assert workdays.statutory_holidays(2027)[day] == name
    # Labour Day is 1 and 2 May (a weekend in 2027); no make-up days are guessed.
    assert {D(2027, 5, 1), D(2027, 5, 2)} <= set(workdays.statutory_holidays(2027))
    assert library.is_working_day(D(2027, 2, 9))  # 初四: only the notice can give it
    assert library.is_working_day(D(2027, 10, 4))
    assert not library.is_working_day(D(2027, 2, 20))  # a Saturday stays a rest day
    # From Thursday 4 February, 2 working days: Tuesday 9 and Wednesday 10 February.
    assert library.deadline(D(2027, 2, 4), 2) == workdays.Deadline(D(2027, 2, 10), True)


def test_the_fallback_has_no_special_arrangement_of_a_known_year():
    # The holidays package lists substituted days off for 2026 (e.g. 2 January); the law
    # itself does not give them.
    assert D(2026, 1, 2) not in workdays.statutory_holidays(2026)
    assert D(2026, 2, 16) in workdays.statutory_holidays(2026)  # 除夕


def test_the_countys_entries_win_over_the_library_and_the_law():
    calendar = WorkCalendar(
        overrides={
            D(2026, 10, 9): False,  # a Friday the library counts: the county says rest
            D(2026, 10, 10): False,  # the library's make-up Saturday
            D(2027, 2, 9): False,  # 初四, not statutory
            D(2027, 2, 20): True,  # a make-up Saturday
        }
    )
    assert not calendar.is_working_day(D(2026, 10, 9))
    assert not calendar.is_working_day(D(2026, 10, 10))
    assert not calendar.is_working_day(D(2027, 2, 9))
    assert calendar.is_working_day(D(2027, 2, 20))
    assert calendar.deadline(D(2026, 9, 30), 3).day == D(2026, 10, 13)


def test_a_year_the_county_entered_in_full_is_known_and_counts_its_entries_only():
    calendar = WorkCalendar(overrides={D(2027, 2, 9): False}, complete_years=[2027])
    assert calendar.knows_year(2027)
    assert not calendar.is_working_day(D(2027, 2, 9))
    # Statutory days are the notice's to give now: a weekday not entered is a working day.
    assert calendar.is_working_day(D(2027, 2, 8))
    assert calendar.deadline(D(2026, 12, 30), 2) == workdays.Deadline(D(2027, 1, 1), False)


def test_an_extension_from_a_provisional_deadline_stays_provisional():
    calendar = WorkCalendar()
    provisional = calendar.deadline(D(2026, 12, 30), 2)
    extended = calendar.extend(provisional, days=1, not_before=D(2026, 12, 31))
    assert extended == workdays.Deadline(D(2027, 1, 5), provisional=True)
    # Granted after a certain deadline had passed: counted from the day it was granted.
    certain = calendar.deadline(D(2026, 11, 2), 1)
    later = calendar.extend(certain, days=2, not_before=D(2026, 11, 10))
    assert later == workdays.Deadline(D(2026, 11, 12), provisional=False)


def test_the_fallback_is_logged_once_per_year_not_once_per_day(library, fresh_fallback_log, caplog):
    with caplog.at_level(logging.WARNING, logger="agencies.workdays"):
        library.deadline(D(2026, 12, 1), 120)  # well into 2027: a hundred days counted
        library.deadline(D(2027, 3, 1), 30)
        WorkCalendar().deadline(D(2027, 6, 1), 10)  # another computation in this process
        library.deadline(D(2028, 1, 3), 5)
    lines = [r.getMessage() for r in caplog.records if r.name == "agencies.workdays"]
    assert len(lines) == 2
    assert "2027" in lines[0] and "2028" in lines[1]


def test_a_known_year_logs_nothing(library, fresh_fallback_log, caplog):
    with caplog.at_level(logging.WARNING, logger="agencies.workdays"):
        library.deadline(D(2026, 1, 5), 200)
    assert not [r for r in caplog.records if r.name == "agencies.workdays"]


def test_negative_days_are_refused(library):
    with pytest.raises(ValueError):
        library.deadline(D(2026, 1, 5), -1)


@pytest.mark.django_db
def test_the_calendar_is_read_once_and_then_asks_the_database_nothing(
    commerce_admin, django_assert_num_queries
):
    for offset in range(40):
        HolidayArrangement.objects.create(
            day=D(2027, 1, 4) + dt.timedelta(days=offset),
            kind=DayKind.REST,
            name="测试",
            notice_number="国办发明电〔2026〕1号",
            entered_by=commerce_admin,
        )
    CalendarYear.objects.create(year=2027, complete=True, notice_number="国办发明电〔2026〕1号")
    with django_assert_num_queries(2):
        calendar = load_calendar()
    with django_assert_num_queries(0):
        deadline = calendar.deadline(D(2026, 12, 30), 10)
        calendar.working_days_between(D(2026, 1, 1), D(2027, 12, 31))
    # 31 December and 1 January (not entered: a working day of a year entered in full), then
    # the 40 entered rest days to 12 February: the tenth working day is 24 February.
    assert deadline == workdays.Deadline(D(2027, 2, 24), provisional=False)
