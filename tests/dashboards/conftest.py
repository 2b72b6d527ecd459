"""A hand-built county for the dashboard's figures, on 20 May 2026 (Asia/Shanghai).

Sites (6):
  递铺街道: a transfer station (operating), collection points operating and planned, an
            illegal point;
  昌硕街道: collection points operating and rectifying.
Cases (6), routed by the real duty table:
  c1 递铺 pollution (ecology; market assists)  reported  3 May, handling, deadline 10 May: overdue
  c2 递铺 fire hazard (fire)                   reported 10 May, registered, deadline 25 May
  c3 递铺 unlicensed (market)                  reported  2 Apr, closed  5 May on time
  c4 递铺 poor management (the township)       reported  1 Mar, closed 15 May late
  c5 昌硕 unlicensed (market)                  reported 12 May, dispatched, deadline 15 May: overdue
  c6 昌硕 fire hazard (fire)                   reported 10 Jan, closed  1 Feb on time
Patrol tasks due in May 2026: 递铺 two (one done), 昌硕 one (open, due 15 May: overdue).
"""

import datetime as dt
from itertools import count

import pytest
import time_machine

from agencies.models import Agency, ProblemCategory
from agencies.routing import route
from anji_recycling.anji_time import ANJI
from inspections.choices import CaseStatus, PatrolFrequency, PatrolTaskStatus
from inspections.models import Case, PatrolPlan, PatrolTask
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_site

TODAY = dt.date(2026, 5, 20)
NOW = dt.datetime(2026, 5, 20, 10, 0, tzinfo=ANJI)

_numbers = count(1)


def at(month, day, hour=10):
    return dt.datetime(2026, month, day, hour, 0, tzinfo=ANJI)


def make_case(
    *,
    site,
    category,
    status,
    reported_at,
    reporter,
    stage_deadline=None,
    closed_at=None,
    closed_on_time=None,
    assisting=(),
):
    """A case routed like a real one, written directly so that its dates are exactly these."""
    category = ProblemCategory.objects.get(code=category)
    routing = route(category=category, township=site.township, village=site.village)
    case = Case.objects.create(
        number=f"AJ2026{next(_numbers):06d}",
        site=site,
        township=site.township,
        village=site.village,
        category=category,
        description="测试",
        duty_rule=routing.rule,
        area=routing.area,
        lead_agency=routing.lead_agency,
        status=status,
        stage_deadline=stage_deadline,
        reported_by=reporter,
        reported_at=reported_at,
        closed_at=closed_at,
        closed_on_time=closed_on_time,
    )
    case.assisting_agencies.add(*Agency.objects.filter(code__in=assisting))
    return case


@pytest.fixture
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield TODAY


@pytest.fixture
def county(frozen_today, commerce_admin, dipu_village, changshuo_village):
    station = make_site(actor=commerce_admin, tier=2, township_code=DIPU)
    dipu_point = make_site(actor=commerce_admin, village=dipu_village, parent=station)
    make_site(actor=commerce_admin, status="planned", village=dipu_village)
    make_site(actor=commerce_admin, status="illegal", township_code=DIPU, village=None)
    changshuo_point = make_site(
        actor=commerce_admin, township_code=CHANGSHUO, village=changshuo_village
    )
    make_site(
        actor=commerce_admin,
        status="rectifying",
        township_code=CHANGSHUO,
        village=changshuo_village,
    )
    reporter = commerce_admin
    cases = {
        "c1": make_case(
            site=dipu_point,
            category="pollution",
            status=CaseStatus.HANDLING,
            reported_at=at(5, 3),
            stage_deadline=dt.date(2026, 5, 10),
            reporter=reporter,
            assisting=["market"],
        ),
        "c2": make_case(
            site=dipu_point,
            category="fire_hazard",
            status=CaseStatus.REGISTERED,
            reported_at=at(5, 10),
            stage_deadline=dt.date(2026, 5, 25),
            reporter=reporter,
        ),
        "c3": make_case(
            site=dipu_point,
            category="unlicensed",
            status=CaseStatus.CLOSED,
            reported_at=at(4, 2),
            closed_at=at(5, 5),
            closed_on_time=True,
            reporter=reporter,
        ),
        "c4": make_case(
            site=dipu_point,
            category="poor_management",
            status=CaseStatus.CLOSED,
            reported_at=at(3, 1),
            closed_at=at(5, 15),
            closed_on_time=False,
            reporter=reporter,
        ),
        "c5": make_case(
            site=changshuo_point,
            category="unlicensed",
            status=CaseStatus.DISPATCHED,
            reported_at=at(5, 12),
            stage_deadline=dt.date(2026, 5, 15),
            reporter=reporter,
        ),
        "c6": make_case(
            site=changshuo_point,
            category="fire_hazard",
            status=CaseStatus.CLOSED,
            reported_at=at(1, 10),
            closed_at=at(2, 1),
            closed_on_time=True,
            reporter=reporter,
        ),
    }
    plan = PatrolPlan.objects.create(
        name="测试计划", status="operating", frequency=PatrolFrequency.MONTHLY
    )
    may = {"plan": plan, "period_start": dt.date(2026, 5, 1)}
    PatrolTask.objects.create(
        site=dipu_point,
        township=dipu_point.township,
        due_on=dt.date(2026, 5, 31),
        status=PatrolTaskStatus.DONE,
        **may,
    )
    PatrolTask.objects.create(
        site=station, township=station.township, due_on=dt.date(2026, 5, 31), **may
    )
    PatrolTask.objects.create(
        site=changshuo_point,
        township=changshuo_point.township,
        due_on=dt.date(2026, 5, 15),
        **may,
    )
    return cases
