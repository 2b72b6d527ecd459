"""Locking freezes a period: later data, edits and reruns do not move its scores; a correction
needs an unlock with a reason, kept in the period's history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.choices import IndicatorKind, PeriodStatus
from assessments.models import TownshipResult
from assessments.services import (
    compute_period,
    lock_period,
    publish_period,
    record_deduction,
    start_computation,
    unlock_period,
    withdraw_deduction,
)

from .conftest import XILONG, indicator, points, site_on

pytestmark = pytest.mark.django_db


def xilong_total(period):
    return TownshipResult.objects.get(period=period, township__code=XILONG).total


@pytest.fixture
def locked_q1(q1, commerce_admin, after_q1):
    compute_period(period=q1, actor=commerce_admin)
    return lock_period(period=q1, actor=commerce_admin)


def test_later_data_does_not_move_a_locked_score(locked_q1, commerce_admin):
    """A transfer station registered in January after locking would add 10 points: it does
    not, and computing again is refused."""
    before = xilong_total(locked_q1)
    site_on(dt.date(2026, 1, 5), actor=commerce_admin, township_code=XILONG, tier=2)

    with pytest.raises(ValidationError, match="已锁定"):
        compute_period(period=locked_q1, actor=commerce_admin)
    with pytest.raises(ValidationError):
        start_computation(period=locked_q1, actor=commerce_admin)

    assert xilong_total(locked_q1) == before == points(70)


def test_no_deduction_on_a_locked_period(locked_q1, xilong, assessor):
    with pytest.raises(ValidationError, match="已锁定"):
        record_deduction(
            period=locked_q1,
            township=xilong,
            indicator=indicator(locked_q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS),
            points=Decimal(1),
            reason="迟到的扣分",
            actor=assessor,
        )


def test_deductions_cannot_be_withdrawn_once_locked(q1, xilong, assessor, commerce_admin, after_q1):
    deduction = record_deduction(
        period=q1,
        township=xilong,
        indicator=indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal(2),
        reason="问题",
        actor=assessor,
    )
    compute_period(period=q1, actor=commerce_admin)
    lock_period(period=q1, actor=commerce_admin)

    with pytest.raises(ValidationError):
        withdraw_deduction(deduction=deduction, actor=assessor, reason="撤回")


def test_unlock_needs_a_reason_and_is_recorded(locked_q1, commerce_admin):
    publish_period(period=locked_q1, actor=commerce_admin)

    with pytest.raises(ValidationError):
        unlock_period(period=locked_q1, actor=commerce_admin, reason="  ")
    period = unlock_period(period=locked_q1, actor=commerce_admin, reason="核查发现数据错误")

    assert period.status == PeriodStatus.COMPUTED
    assert period.published_at is None
    latest = period.history.order_by("-history_id").first()
    assert latest.history_user == commerce_admin
    assert latest.history_change_reason == "核查发现数据错误"
    statuses = [h.status for h in period.history.order_by("history_id")]
    assert statuses[-4:] == ["computed", "locked", "published", "computed"]


def test_after_unlock_a_rerun_takes_the_new_data(locked_q1, commerce_admin):
    site_on(dt.date(2026, 1, 5), actor=commerce_admin, township_code=XILONG, tier=2)
    unlock_period(period=locked_q1, actor=commerce_admin, reason="补录中转站")

    compute_period(period=locked_q1, actor=commerce_admin)

    assert xilong_total(locked_q1) == points(80)


def test_only_the_commerce_bureau_locks_and_unlocks(locked_q1, assessor, leader):
    for user in (assessor, leader):
        with pytest.raises(PermissionDenied):
            unlock_period(period=locked_q1, actor=user, reason="想改")


def test_a_period_changed_since_computed_must_be_computed_again_to_lock(
    q1, xilong, commerce_admin, assessor, after_q1
):
    compute_period(period=q1, actor=commerce_admin)
    record_deduction(
        period=q1,
        township=xilong,
        indicator=indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal(2),
        reason="问题",
        actor=assessor,
    )

    with pytest.raises(ValidationError, match="重新计算"):
        lock_period(period=q1, actor=commerce_admin)
    compute_period(period=q1, actor=commerce_admin)
    assert lock_period(period=q1, actor=commerce_admin).status == PeriodStatus.LOCKED


def test_publishing_needs_a_locked_period(q1, commerce_admin, after_q1):
    compute_period(period=q1, actor=commerce_admin)
    with pytest.raises(ValidationError):
        publish_period(period=q1, actor=commerce_admin)
