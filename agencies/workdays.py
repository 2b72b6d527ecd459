"""Chinese working days: weekends, public holidays and make-up workdays (调休).

Which days count, in this order:
1. the county's own table (`HolidayArrangement`, entered by the commerce bureau from the State
   Council's notice): it wins over everything else;
2. the maintained `chinese_calendar` package, for the years it knows;
3. a year the commerce bureau has marked complete (`CalendarYear.complete`): the table holds
   every holiday and make-up day of it, so any other day is a working day Monday to Friday;
4. any other year: weekends and the statutory holidays fixed by 《全国年节及纪念日放假办法》
   (2024 revision: 元旦 1 day, 春节 4 days from 除夕, 清明节 1, 劳动节 2, 端午节 1, 中秋节 1,
   国庆节 3), their lunar and solar-term dates computed by the `holidays` package. A deadline
   that counts a day of such a year is provisional (暂定) until the year is known, and is
   recomputed when it becomes known.

The calendar is read once per computation (`load_calendar()`, two small queries) and then asked
about as many days as needed; it is never cached between requests, so every web process and
worker counts with what the table holds now.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import chinese_calendar
import holidays

from .choices import DayKind
from .models import CalendarYear, HolidayArrangement

logger = logging.getLogger(__name__)

# The names the `holidays` package gives the statutory days (zh_CN); a day it lists under any
# other name (a substituted day off from a State Council notice) is not statutory.
STATUTORY_NAMES = frozenset(
    {"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
)

# Years whose fallback this process has already logged (one line per year, not per day).
_logged_fallback_years: set[int] = set()


@dataclass(frozen=True)
class Deadline:
    """A deadline and whether it is provisional (it counted days of a year not yet known)."""

    day: dt.date
    provisional: bool = False


@cache
def library_knows(year: int) -> bool:
    """Whether the installed chinese_calendar has the State Council's schedule for `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def library_years(*, first: int = 2000, last: int = 2100) -> list[int]:
    return [year for year in range(first, last + 1) if library_knows(year)]


@cache
def statutory_holidays(year: int) -> Mapping[dt.date, str]:
    """The statutory holidays of `year` by law, without any year's special arrangement."""
    days = holidays.China(years=year, observed=False, language="zh_CN")
    return {
        day: "、".join(names)
        for day in sorted(days)
        if (names := [name for name in days.get_list(day) if name in STATUTORY_NAMES])
    }


def _log_fallback(year: int) -> None:
    if year in _logged_fallback_years:
        return
    _logged_fallback_years.add(year)
    logger.warning(
        "No holiday schedule for %s yet (neither chinese_calendar nor the county's table has "
        "the whole year): counting weekends and the statutory holidays; deadlines are provisional",
        year,
    )


class WorkCalendar:
    """Working days as the county counts them now. Build it with `load_calendar()`."""

    def __init__(
        self,
        *,
        overrides: Mapping[dt.date, bool] | None = None,
        complete_years: Iterable[int] = (),
    ):
        self.overrides = dict(overrides or {})  # day -> is a working day
        self.complete_years = frozenset(complete_years)

    def knows_year(self, year: int) -> bool:
        """Whether `year`'s holidays and make-up days are known (library or county table)."""
        return library_knows(year) or year in self.complete_years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if library_knows(day.year):
            return chinese_calendar.is_workday(day)
        if day.year in self.complete_years:
            return day.weekday() < 5
        _log_fallback(day.year)
        return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def deadline(self, start: dt.date, days: int) -> Deadline:
        """`days` working days after `start` (start itself does not count)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        remaining = days
        provisional = False
        while remaining:
            day += dt.timedelta(days=1)
            provisional = provisional or not self.knows_year(day.year)
            if self.is_working_day(day):
                remaining -= 1
        return Deadline(day=day, provisional=provisional)

    def extend(self, deadline: Deadline, *, days: int, not_before: dt.date) -> Deadline:
        """An extension: `days` more working days from the deadline, or from `not_before`
        (the day it was granted) when the deadline had already passed."""
        if deadline.day >= not_before:
            extended = self.deadline(deadline.day, days)
            return Deadline(extended.day, extended.provisional or deadline.provisional)
        return self.deadline(not_before, days)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when end is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + dt.timedelta(days=offset))
        )

    def unknown_years(self, years: Iterable[int]) -> list[int]:
        return [year for year in years if not self.knows_year(year)]


def load_calendar() -> WorkCalendar:
    """The calendar as the county's table holds it now: two queries, whatever is asked later."""
    overrides = {
        day: kind == DayKind.WORK
        for day, kind in HolidayArrangement.objects.values_list("day", "kind")
    }
    complete = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkCalendar(overrides=overrides, complete_years=complete)
