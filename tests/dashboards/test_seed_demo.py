import pytest
from django.core.management import call_command
from django.utils import translation

from agencies.models import Township
from anji_recycling.anji_time import ANJI
from inspections.models import Case
from sites.models import Site

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_every_township_through_the_services_once(commerce_admin, capsys):
    with translation.override("en"):
        call_command("seed_demo")
        first = Site.objects.count()
        call_command("seed_demo")

    assert Site.objects.filter(tier=2).values("township").distinct().count() == (
        Township.objects.count()
    )
    assert Site.objects.count() == first
    assert "already there" in capsys.readouterr().out
    assert Case.objects.exists()
    assert all(case.duty_rule_id for case in Case.objects.all())
    assert {site.status_changes.count() >= 1 for site in Site.objects.all()} == {True}


def test_seed_demo_shows_patrols_a_meeting_and_an_assessment_to_review(
    commerce_admin, assessor, dipu_grid_worker
):
    import datetime as dt

    import time_machine

    from agencies.choices import ActionItemStatus, MeetingStatus
    from agencies.models import ActionItem, Meeting
    from assessments.choices import PeriodStatus
    from assessments.models import AssessmentPeriod
    from inspections.models import PatrolTask

    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=ANJI)):
        call_command("seed_demo")

    assert PatrolTask.objects.filter(assigned_to=dipu_grid_worker).exists()
    held = Meeting.objects.get(status=MeetingStatus.HELD)
    assert Meeting.objects.get(status=MeetingStatus.PLANNED).previous == held
    assert ActionItem.objects.filter(meeting=held, status=ActionItemStatus.OPEN).count() == 2
    period = AssessmentPeriod.objects.get()
    assert (period.year, period.quarter) == (2026, 4)
    assert period.status == PeriodStatus.COMPUTED
    assert period.results.count() == Township.objects.count()
