"""Rows the API tests point at."""

import datetime as dt

from django.utils import timezone

from agencies import meetings
from agencies.models import Meeting, ProblemCategory
from assessments.choices import PeriodKind
from assessments.models import AssessmentScheme
from assessments.services import open_period
from inspections.choices import PatrolFrequency
from inspections.models import PatrolPlan
from inspections.patrols import generate_patrol_tasks
from inspections.services import FindingInput, file_inspection


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
