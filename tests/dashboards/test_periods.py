"""Periods: months, quarters and years in Asia/Shanghai, named by a key in the address."""

import datetime as dt

import pytest

from dashboards.choices import PeriodKind
from dashboards.periods import Period, default_period, period_choices

TODAY = dt.date(2026, 5, 20)


@pytest.mark.parametrize(
    ("key", "kind", "start", "end"),
    [
        ("2026-05", PeriodKind.MONTH, dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
        ("2024-02", PeriodKind.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-12", PeriodKind.MONTH, dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
        ("2026-Q2", PeriodKind.QUARTER, dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("2025-Q4", PeriodKind.QUARTER, dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2026", PeriodKind.YEAR, dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_a_key_names_a_period(key, kind, start, end):
    period = Period.parse(key, today=TODAY)

    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.key == key


@pytest.mark.parametrize("key", ["", "2026-13", "2026-00", "2026-Q5", "26", "2019", "2026-06", "x"])
def test_malformed_or_future_keys_are_refused(key):
    with pytest.raises(ValueError):
        Period.parse(key, today=TODAY)


def test_a_period_starts_and_ends_at_midnight_in_anji():
    period = Period.parse("2026-05", today=TODAY)

    assert period.start_at.isoformat() == "2026-05-01T00:00:00+08:00"
    assert period.end_at.isoformat() == "2026-06-01T00:00:00+08:00"


def test_the_trend_is_the_twelve_months_ending_with_the_period():
    months = Period.parse("2026-Q1", today=TODAY).trend_months()

    assert [month.key for month in months] == [
        "2025-04",
        "2025-05",
        "2025-06",
        "2025-07",
        "2025-08",
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
    ]


def test_the_default_is_the_current_month():
    assert default_period(today=TODAY).key == "2026-05"


def test_the_selector_offers_recent_months_quarters_and_years():
    groups = period_choices(today=TODAY)

    keys = [[period.key for period in periods] for _label, periods in groups]
    assert keys[0][:3] == ["2026-05", "2026-04", "2026-03"] and len(keys[0]) == 12
    assert keys[1][:3] == ["2026-Q2", "2026-Q1", "2025-Q4"] and len(keys[1]) == 8
    assert keys[2] == ["2026", "2025", "2024", "2023", "2022"]


def test_an_older_chosen_period_is_offered_too():
    chosen = Period.parse("2021-03", today=TODAY)

    months = period_choices(today=TODAY, selected=chosen)[0][1]

    assert months[-1] == chosen


def test_the_selector_starts_no_earlier_than_2020():
    groups = period_choices(today=dt.date(2021, 2, 1))

    assert [period.key for period in groups[2][1]] == ["2021", "2020"]
