"""The comparison with the previous period, and the dashboard's selector of the latest
published ranking."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from accounts.choices import Role
from assessments.choices import IndicatorKind, PeriodKind
from assessments.selectors import latest_published_ranking, ranking, township_detail
from assessments.services import (
    compute_period,
    lock_period,
    open_period,
    publish_period,
    record_deduction,
)
from tests.factories import make_user

from .conftest import XILONG, at, indicator, points, site_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def q4_published(scheme, commerce_admin, assessor, xilong):
    """2025 Q4: 溪龙乡 lost 5 points to a deduction (65, last); published."""
    q4 = open_period(
        scheme=scheme, kind=PeriodKind.QUARTER, year=2025, quarter=4, actor=commerce_admin
    )
    record_deduction(
        period=q4,
        township=xilong,
        indicator=indicator(scheme, IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal(5),
        reason="检查扣分",
        actor=assessor,
    )
    with time_machine.travel(at(dt.date(2026, 1, 10)), tick=False):
        compute_period(period=q4, actor=commerce_admin)
        lock_period(period=q4, actor=commerce_admin)
        publish_period(period=q4, actor=commerce_admin)
    return q4


def test_ranking_compares_with_the_previous_published_period(
    q4_published, q1, commerce_admin, after_q1
):
    """Q1: 溪龙乡 gets an operating station (80, first): +15 points, up 14 places."""
    site_on(dt.date(2026, 1, 5), actor=commerce_admin, township_code=XILONG, tier=2)
    compute_period(period=q1, actor=commerce_admin)

    rows = {row.result.township.code: row for row in ranking(period=q1, user=commerce_admin)}

    xilong = rows[XILONG]
    assert xilong.previous.total == points(65)
    assert xilong.change == points(15)
    assert (xilong.previous.rank, xilong.result.rank, xilong.rank_change) == (15, 1, 14)


def test_township_detail_shows_the_previous_points_per_indicator(
    q4_published, q1, commerce_admin, xilong, after_q1
):
    compute_period(period=q1, actor=commerce_admin)
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=XILONG)

    detail = township_detail(period=q1, township=xilong, user=officer)

    manual = next(line for line in detail["lines"] if line.score.indicator.is_manual)
    assert (manual.previous.weighted_points, manual.score.weighted_points) == (
        points(5),
        points(10),
    )
    assert manual.change == points(5)
    assert detail["previous_result"].total == points(65)


def test_latest_published_ranking_is_the_latest_published_period(
    q4_published, q1, commerce_admin, dipu_officer, market_officer, after_q1
):
    compute_period(period=q1, actor=commerce_admin)  # computed, not published

    period, rows = latest_published_ranking(user=dipu_officer)

    assert period == q4_published
    assert len(rows) == 15
    assert rows[-1].result.township.code == XILONG
    assert latest_published_ranking(user=market_officer) == (None, [])


def test_latest_published_ranking_runs_a_fixed_number_of_queries(
    q4_published, leader, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        period, rows = latest_published_ranking(user=leader)
        [row.result.township.name for row in rows]
