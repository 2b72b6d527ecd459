"""The period a dashboard shows: a month, a quarter or a year, in Asia/Shanghai.

A period is named by a short key that travels in the address: `2026-03` (March 2026),
`2026-Q2` (the second quarter) or `2026` (the year). Its days run from `start` to `end`
inclusive; `start_at` and `end_at` are the aware datetimes of its first moment and of the first
moment after it, for comparing timestamps (reported, closed) in the county's time zone.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import PeriodKind

FIRST_YEAR = 2020
# How many periods of each kind the selector offers, the current one included.
CHOICES_PER_KIND = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 8, PeriodKind.YEAR: 5}
TREND_MONTHS = 12

_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})|-Q(?P<quarter>[1-4]))?$")


def _first_of_month(year: int, month: int) -> dt.date:
    """The first day of a month, counting months past December into the next years."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, 1)


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 1  # the month (1–12) or the quarter (1–4); 1 for a year

    @property
    def first_month(self) -> int:
        if self.kind == PeriodKind.MONTH:
            return self.number
        if self.kind == PeriodKind.QUARTER:
            return 3 * (self.number - 1) + 1
        return 1

    @property
    def month_count(self) -> int:
        return {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return _first_of_month(self.year, self.first_month + self.month_count) - dt.timedelta(1)

    @property
    def start_at(self) -> dt.datetime:
        return _start_of_day(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """The first moment after the period."""
        return _start_of_day(self.end + dt.timedelta(1))

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("%(month)d/%(year)d") % {"year": self.year, "month": self.number}
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(quarter)d %(year)d") % {"year": self.year, "quarter": self.number}
        return _("Year %(year)d") % {"year": self.year}

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def trend_months(self, count: int = TREND_MONTHS) -> list["Period"]:
        """The `count` months ending with the period's last month, oldest first."""
        last = self.first_month + self.month_count - 1
        return [
            Period.month_of(_first_of_month(self.year, last - offset))
            for offset in reversed(range(count))
        ]

    def previous(self) -> "Period":
        return Period.containing(kind=self.kind, day=self.start - dt.timedelta(1))

    @classmethod
    def month_of(cls, day: dt.date) -> "Period":
        return cls(kind=PeriodKind.MONTH, year=day.year, number=day.month)

    @classmethod
    def containing(cls, *, kind: str, day: dt.date) -> "Period":
        if kind == PeriodKind.MONTH:
            return cls.month_of(day)
        if kind == PeriodKind.QUARTER:
            return cls(kind=kind, year=day.year, number=(day.month - 1) // 3 + 1)
        return cls(kind=PeriodKind.YEAR, year=day.year)

    @classmethod
    def parse(cls, key: str, *, today: dt.date) -> "Period":
        """The period a key names; ValueError when the key is malformed, or names a period
        before FIRST_YEAR or after today."""
        found = _KEY.match(key.strip()) if key else None
        if found is None:
            raise ValueError(key)
        year = int(found["year"])
        if found["month"]:
            month = int(found["month"])
            if not 1 <= month <= 12:
                raise ValueError(key)
            period = cls(kind=PeriodKind.MONTH, year=year, number=month)
        elif found["quarter"]:
            period = cls(kind=PeriodKind.QUARTER, year=year, number=int(found["quarter"]))
        else:
            period = cls(kind=PeriodKind.YEAR, year=year)
        if year < FIRST_YEAR or period.start > today:
            raise ValueError(key)
        return period


def default_period(*, today: dt.date) -> Period:
    """The current month."""
    return Period.month_of(today)


def period_choices(*, today: dt.date, selected: Period | None = None) -> list[tuple[str, list]]:
    """The selector's options, by kind, newest first: [(kind label, [period, …]), …]."""
    groups = []
    for kind, count in CHOICES_PER_KIND.items():
        periods = [Period.containing(kind=kind, day=today)]
        while len(periods) < count:
            earlier = periods[-1].previous()
            if earlier.year < FIRST_YEAR:
                break
            periods.append(earlier)
        if selected is not None and selected.kind == kind and selected not in periods:
            periods.append(selected)
        groups.append((PeriodKind(kind).label, periods))
    return groups
