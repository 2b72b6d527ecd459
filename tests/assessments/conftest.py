"""Hand-built fixtures for the assessment: a period (2026 Q1), sites registered on given days
(their status timeline is what the indicators read), patrol tasks, cases and rectification
orders with the deadlines the tests need."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from accounts.choices import Role
from agencies.models import DutyRule, Township, Village
from assessments.choices import IndicatorKind, PeriodKind
from assessments.models import AssessmentScheme, Indicator
from assessments.services import open_period
from inspections.choices import CaseStatus, PatrolTaskStatus
from inspections.models import Case, CaseEvent, EnforcementAction, PatrolPlan, PatrolTask
from sites.services import change_site_status
from tests.factories import make_site, make_user

XILONG = "330523201"  # 溪龙乡: five villages and communities
ANJI = timezone.get_fixed_timezone(8 * 60)
AFTER_Q1 = dt.datetime(2026, 4, 10, 10, 0, tzinfo=ANJI)  # computing Q1 2026 after it ended

_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ANJI)


@pytest.fixture
def scheme(db):
    """The default scheme the data migration created."""
    return AssessmentScheme.objects.get(code="long-term-management", version=1)


@pytest.fixture
def q1(scheme, commerce_admin):
    return open_period(
        scheme=scheme, kind=PeriodKind.QUARTER, year=2026, quarter=1, actor=commerce_admin
    )


@pytest.fixture
def xilong(db):
    return Township.objects.get(code=XILONG)


@pytest.fixture
def xilong_villages(xilong):
    return list(Village.objects.filter(township=xilong, is_active=True).order_by("code"))


@pytest.fixture
def xilong_officer(db):
    return make_user(Role.TOWNSHIP_OFFICER, township_code=XILONG)


@pytest.fixture
def after_q1():
    with time_machine.travel(AFTER_Q1, tick=False):
        yield


def indicator(scheme, kind) -> Indicator:
    return scheme.indicators.get(kind=kind)


def site_on(day: dt.date, *, actor, **fields):
    """Register a site on `day` (its status timeline starts then)."""
    with time_machine.travel(at(day), tick=False):
        return make_site(actor=actor, **fields)


def change_status_on(day: dt.date, site, to: str, *, actor):
    with time_machine.travel(at(day), tick=False):
        return change_site_status(site=site, to=to, actor=actor, reason="测试")


def patrol_task(*, site, due_on: dt.date, status=PatrolTaskStatus.OPEN):
    return PatrolTask.objects.create(
        plan=PatrolPlan.objects.first(),
        site=site,
        township=site.township,
        period_start=due_on - dt.timedelta(days=6),
        due_on=due_on,
        status=status,
    )


def case_row(*, site, reporter, handling_deadline, status=CaseStatus.HANDLING, on_time=None):
    """A case as the lifecycle would leave it, built directly so that its deadline and
    outcome are exactly what the test says."""
    rule = DutyRule.objects.select_related("category").first()
    return Case.objects.create(
        number=f"AJT{next(_numbers):09d}",
        site=site,
        township=site.township,
        village=site.village,
        category=rule.category,
        description="测试案件",
        duty_rule=rule,
        area=rule.area,
        lead_agency=rule.lead_agency,
        status=status,
        stage="",
        handling_deadline=handling_deadline,
        reported_by=reporter,
        closed_at=at(handling_deadline) if status == CaseStatus.CLOSED else None,
        closed_on_time=on_time,
    )


def rectification_order(*, case, recorded_on: dt.date, rectify_by: dt.date, actor):
    return EnforcementAction.objects.create(
        case=case,
        kind="rectification_order",
        decided_on=recorded_on,
        rectify_by=rectify_by,
        recorded_by=actor,
        recorded_at=at(recorded_on),
    )


def verified_on(case, day: dt.date, *, actor):
    return CaseEvent.objects.create(
        case=case,
        action="verify_pass",
        from_status="handled",
        to_status="verified",
        actor=actor,
        at=at(day),
    )


def points(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


__all__ = ["IndicatorKind"]
