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


def test_the_demo_gives_every_page_something_real(commerce_admin, assessor, dipu_grid_worker):
    """Licence and filing dates, cases in earlier quarters with overdue and escalated ones,
    unassigned patrol tasks, and the county sorting centre every station delivers to."""
    import datetime as dt

    import time_machine

    from inspections.models import CaseEscalation, PatrolTask
    from sites.models import Operator

    today = dt.date(2026, 11, 20)
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=ANJI)):
        call_command("seed_demo")
        overdue = Case.objects.overdue(today=today)

        operators = Operator.objects.all()
        assert not operators.filter(licence_issued_on__isnull=True).exists()
        assert operators.filter(licence_valid_until__lt=today).exists()
        assert operators.filter(
            licence_valid_until__gte=today, licence_valid_until__lte=today + dt.timedelta(30)
        ).exists()
        assert operators.filter(filed_on__isnull=True).exists()
        assert operators.filter(filed_on__isnull=False).exclude(filing_number="").exists()

        quarter_start = dt.date(2026, 10, 1)
        reported = [case.reported_at.astimezone(ANJI).date() for case in Case.objects.all()]
        assert any(day < quarter_start for day in reported)
        assert any(day >= quarter_start for day in reported)
        assert overdue.exists()
        assert CaseEscalation.objects.filter(case__in=overdue).exists()

        unassigned = PatrolTask.objects.filter(assigned_to__isnull=True, status="open")
        assert unassigned.exists()
        assert PatrolTask.objects.filter(assigned_to=dipu_grid_worker).exists()

        centre = Site.objects.get(tier=1)
        assert set(Site.objects.filter(tier=2).values_list("parent", flat=True)) == {centre.pk}


def test_the_demos_escalation_sweep_reaches_someone_for_every_overdue_case(caplog):
    """`make demo`'s accounts and data: every overdue case's lead agency (fire, urban
    management, ecology, police, agriculture, ...) has an officer to tell, so the sweep logs
    nobody it could not reach."""
    import datetime as dt
    import io

    import time_machine

    from accounts.selectors import officers_to_notify
    from agencies.models import DutyRule
    from inspections.escalation import escalate_overdue_cases
    from inspections.models import CaseEscalation

    now = dt.datetime(2026, 11, 20, 10, tzinfo=ANJI)
    with time_machine.travel(now), translation.override("en"):
        call_command("create_demo_accounts", "--force", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
        escalate_overdue_cases(now=now)

    assert CaseEscalation.objects.filter(level="agency").exists()
    unreached = [r.getMessage() for r in caplog.records if "nobody is there" in r.getMessage()]
    assert unreached == []
    leads = set(
        DutyRule.objects.filter(is_active=True)
        .exclude(lead_agency=None)
        .values_list("lead_agency", flat=True)
    )
    assert set(officers_to_notify(agency_ids=leads)) == leads


def test_the_demo_fills_the_network_and_support_pages(commerce_admin, dipu_officer):
    """Projects at each open stage (some late against their plan), subsidies and awards to a
    project and to operators, land-support cases, publicity and an association notice."""
    import datetime as dt

    import time_machine

    from network.models import NetworkProject
    from network.selectors import late_projects
    from support.models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy

    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=ANJI)):
        call_command("seed_demo")
        stages = set(NetworkProject.objects.values_list("stage", flat=True))
        assert {"planning", "approved", "construction"} <= stages
        assert late_projects(user=commerce_admin).exists()
        assert Subsidy.objects.filter(project__isnull=False).exists()
        assert Subsidy.objects.filter(operator__isnull=False, kind="award").exists()
        assert LandSupportCase.objects.filter(decision="approved").exists()
        assert LandSupportCase.objects.filter(decision="pending").exists()
        assert PublicityActivity.objects.filter(form="online").exists()
        assert AssociationNotice.objects.get().operators.exists()
        assert NetworkProject.objects.visible_to(dipu_officer).exists()
