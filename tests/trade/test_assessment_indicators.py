"""The market's two township indicators, on a hand-built first quarter of 2026: 递铺 has two
operating points, one of which delivered; its station sent on more than it received in March
(one flag); 昌硕's one operating point delivered and its station balances."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine

from agencies.models import Township
from assessments.choices import IndicatorKind
from assessments.indicators import Context, compute_indicator
from tests.factories import make_site

from .conftest import add_materials, deliver

pytestmark = pytest.mark.django_db
ANJI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 4, 5, 10, 0, tzinfo=ANJI)


@pytest.fixture(autouse=True)
def registered_before_the_quarter():
    """The sites are registered (their status timelines start) on 2 January."""
    with time_machine.travel(dt.datetime(2026, 1, 2, 9, 0, tzinfo=ANJI), tick=False):
        yield


@pytest.fixture
def quarter(network, paper, commerce_admin):
    idle = add_materials(
        make_site(actor=commerce_admin, tier=3, name="递铺闲置网点", parent=network.dipu_station)
    )
    with time_machine.travel(NOW, tick=False):
        a, n = commerce_admin, network
        deliver(
            actor=a,
            from_site=n.dipu_point,
            to_site=n.dipu_station,
            material=paper,
            weight="1000",
            on=dt.date(2026, 3, 2),
        )
        deliver(
            actor=a,
            from_site=n.dipu_station,
            to_site=n.centre,
            material=paper,
            weight="1500",
            on=dt.date(2026, 3, 9),
        )
        deliver(
            actor=a,
            from_site=n.cs_point,
            to_site=n.cs_station,
            material=paper,
            weight="800",
            on=dt.date(2026, 2, 2),
        )
        deliver(
            actor=a,
            from_site=n.cs_station,
            to_site=n.centre,
            material=paper,
            weight="800",
            on=dt.date(2026, 2, 9),
        )
    return SimpleNamespace(idle=idle, **vars(network))


def context():
    townships = tuple(
        Township.objects.filter(code__in=["330523001", "330523002"])
        .order_by("code")
        .values_list("pk", flat=True)
    )
    return Context(
        township_ids=townships,
        period_id=0,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        start_at=dt.datetime(2026, 1, 1, tzinfo=ANJI),
        end_at=dt.datetime(2026, 4, 1, tzinfo=ANJI),
        as_of=dt.date(2026, 3, 31),
    ), townships


def test_share_of_operating_points_that_delivered(quarter):
    ctx, (dipu, changshuo) = context()
    indicator = SimpleNamespace(
        kind=IndicatorKind.POINTS_DELIVERING, max_points=Decimal(10), points_per_item=None
    )
    measures = compute_indicator(indicator=indicator, context=ctx)
    assert (measures[dipu].numerator, measures[dipu].denominator) == (1, 2)
    assert measures[dipu].raw_points == Decimal("5.00")
    assert measures[dipu].evidence["not_counted"] == [quarter.idle.pk]
    assert measures[changshuo].raw_points == Decimal("10.00")


def test_balance_flags_are_deducted_per_flag(quarter):
    ctx, (dipu, changshuo) = context()
    indicator = SimpleNamespace(
        kind=IndicatorKind.BALANCE_FLAGS, max_points=Decimal(10), points_per_item=Decimal(2)
    )
    measures = compute_indicator(indicator=indicator, context=ctx)
    assert (measures[dipu].numerator, measures[dipu].raw_points) == (1, Decimal("8.00"))
    assert measures[dipu].evidence["counted"] == [quarter.dipu_station.pk]
    assert (measures[changshuo].numerator, measures[changshuo].raw_points) == (0, Decimal("10.00"))
