"""Chinese working days: weekends, public holidays and make-up workdays (调休), from the
maintained `chinese_calendar` package.

The State Council publishes each year's holidays late in the year before; until the package
knows a year, days of that year count Monday to Friday and a warning is logged, so deadlines
never fail to compute. Updating the package brings the real calendar.
"""

import datetime as dt
import logging

import chinese_calendar

logger = logging.getLogger(__name__)


def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        logger.warning("No official holiday calendar for %s; counting Monday to Friday", day.year)
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + dt.timedelta(days=offset))
    )
