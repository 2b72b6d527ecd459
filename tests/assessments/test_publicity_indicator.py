"""The registered publicity indicator (off in the default scheme), worked by hand: 2 points per
activity held in the quarter, at most 5."""

import datetime as dt
from decimal import Decimal

import pytest

from assessments.choices import OFF_BY_DEFAULT_KINDS, IndicatorKind
from assessments.indicators import compute_indicator
from assessments.models import Indicator
from assessments.services import _context
from support.models import PublicityActivity
from support.services import record_publicity

pytestmark = pytest.mark.django_db


def held(on, township, actor, form="offline"):
    return record_publicity(
        activity=PublicityActivity(
            held_on=on, township=township, form=form, topic="再生资源法规宣传", audience="村民"
        ),
        actor=actor,
    )


def test_publicity_is_registered_and_off_in_the_default_scheme(scheme):
    assert IndicatorKind.PUBLICITY_ACTIVITIES in OFF_BY_DEFAULT_KINDS
    assert not scheme.indicators.filter(kind=IndicatorKind.PUBLICITY_ACTIVITIES).exists()


def test_two_points_per_activity_up_to_five(q1, commerce_admin, dipu, changshuo, xilong):
    """递铺: 3 activities in Q1 (one online) → min(5, 3 × 2) = 5; 昌硕: 1 in Q1 and one in
    April (outside) → 2; 溪龙: none → 0."""
    for day in (dt.date(2026, 1, 5), dt.date(2026, 2, 5)):
        held(day, dipu, commerce_admin)
    held(dt.date(2026, 3, 31), dipu, commerce_admin, form="online")
    held(dt.date(2026, 3, 1), changshuo, commerce_admin)
    held(dt.date(2026, 4, 1), changshuo, commerce_admin)
    indicator = Indicator(
        scheme=q1.scheme,
        kind=IndicatorKind.PUBLICITY_ACTIVITIES,
        name="宣传活动",
        weight=Decimal(5),
        max_points=Decimal(5),
        points_per_item=Decimal(2),
    )
    context = _context(q1, [dipu.pk, changshuo.pk, xilong.pk])
    measures = compute_indicator(indicator=indicator, context=context)
    assert [measures[t.pk].raw_points for t in (dipu, changshuo, xilong)] == [
        Decimal("5.00"),
        Decimal("2.00"),
        Decimal("0.00"),
    ]
    assert measures[dipu.pk].numerator == 3
    assert len(measures[changshuo.pk].evidence["counted"]) == 1
