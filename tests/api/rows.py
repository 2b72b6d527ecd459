"""Rows the API tests point at."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from agencies import meetings
from agencies.models import Agency, Meeting, ProblemCategory, Township
from assessments.choices import IndicatorKind, PeriodKind
from assessments.models import AssessmentScheme
from assessments.services import open_period, record_deduction
from inspections.choices import PatrolFrequency
from inspections.models import PatrolPlan
from inspections.patrols import generate_patrol_tasks
from inspections.services import FindingInput, file_inspection
from tests import filled_rows
from tests.factories import make_operator, make_site


def report_problems(site, inspector, *codes):
    """A patrol report on `site` with one finding (and so one case) per category code."""
    return file_inspection(
        site=site,
        inspector=inspector,
        result="problems",
        findings=[
            FindingInput(category=ProblemCategory.objects.get(code=code), description="发现问题")
            for code in codes
        ],
    )


def open_first_quarter(actor):
    """2026 Q1 under the default scheme."""
    scheme = AssessmentScheme.objects.get(code="long-term-management", version=1)
    return open_period(scheme=scheme, kind=PeriodKind.QUARTER, year=2026, quarter=1, actor=actor)


def held_meeting_with_item(actor, agency):
    """A joint meeting long past, recorded, with one open action item for `agency`."""
    starts_at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    meeting = meetings.plan_meeting(
        meeting=Meeting(title="联席会议", starts_at=starts_at, place="商务局", convener="商务局"),
        actor=actor,
        invited_agencies=[agency],
    )
    meeting = meetings.record_meeting(
        meeting=meeting, actor=actor, present_agencies=[agency], minutes="纪要", decisions=""
    )
    meetings.add_action_item(
        meeting=meeting, agency=agency, description="清理", due_on=dt.date(2026, 4, 30), actor=actor
    )
    return meeting


def this_weeks_patrol_tasks():
    """This week's patrol tasks of the weekly plan (the sites in operation)."""
    PatrolPlan.objects.create(name="每周巡查", status="operating", frequency=PatrolFrequency.WEEKLY)
    generate_patrol_tasks(today=timezone.localdate())


# Rows of the market (trade), network and support endpoints, as the edit round trip fills them.
MARKET_NETWORK_AND_SUPPORT = (
    filled_rows.price_entry,
    filled_rows.transfer,
    filled_rows.shipment,
    filled_rows.stock_declaration,
    filled_rows.network_project,
    filled_rows.subsidy,
    filled_rows.land_support,
    filled_rows.publicity,
)


def a_little_of_everything(commerce_admin, grid_worker, assessor):
    """Rows behind most API collections, all of them in 递铺 (the grid worker's township): a
    site with an operator under a station, its inspection and cases, a held joint meeting with
    an action item, this week's patrol tasks, an assessment period with a deduction, the
    market's prices, transfers, shipments and stock, a network project, a subsidy, a
    land-support case and a publicity activity."""
    operator = make_operator(actor=commerce_admin)
    station = make_site(actor=commerce_admin, tier=2)
    site = make_site(actor=commerce_admin, operator=operator, parent=station)
    report_problems(site, grid_worker, "fire_hazard", "unlicensed")
    held_meeting_with_item(commerce_admin, Agency.objects.get(code="market"))
    this_weeks_patrol_tasks()
    period = open_first_quarter(commerce_admin)
    record_deduction(
        period=period,
        township=Township.objects.get(code="330523001"),
        indicator=period.scheme.indicators.get(kind=IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal("1.0"),
        reason="台账不全",
        actor=assessor,
    )
    people = filled_rows.People()
    for build in MARKET_NETWORK_AND_SUPPORT:
        build(people, True)


def model_of(viewset):
    """The model a router viewset serves."""
    if viewset.queryset is not None:
        return viewset.queryset.model
    view = viewset()
    view.action = "list"
    return view.get_serializer_class().Meta.model
