"""Case deadlines across a year whose holidays are not known yet are provisional (暂定) wherever
a deadline is shown, and are recomputed, with a history entry, when the commerce bureau enters
the year's holidays or the chinese-calendar package learns the year."""

import datetime as dt
import io
import re

import chinese_calendar
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from agencies import workdays
from agencies.models import CalendarYear
from inspections.choices import Actor, CaseAction
from inspections.deadlines import recompute_case_deadlines
from inspections.models import Case, CaseEvent, CaseRequest
from inspections.services import decide_request, request_more_time, transition_case

from .conftest import report

pytestmark = pytest.mark.django_db

ANJI = dt.timezone(dt.timedelta(hours=8))
NOTICE = "国办发明电〔2026〕7号"


def at(year, month, day, hour=10):
    return dt.datetime(year, month, day, hour, tzinfo=ANJI)


def travel(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def people(commerce_admin, dipu_officer, urban_officer):
    return {Actor.COMMERCE: commerce_admin, Actor.TOWNSHIP: dipu_officer, Actor.LEAD: urban_officer}


@pytest.fixture
def new_year_case(built_up_site, dipu_grid_worker, people):
    """Piling reported on Wednesday 30 December 2026, registered and dispatched on Thursday 31
    December: handling takes 3 working days, counted into 2027, which chinese-calendar 1.11
    does not know."""
    with travel(at(2026, 12, 30)):
        (case,) = report(built_up_site, dipu_grid_worker, "appearance")
    with travel(at(2026, 12, 31)):
        for action in (CaseAction.REGISTER, CaseAction.DISPATCH):
            case = transition_case(case=case, action=action, actor=people[Actor.TOWNSHIP])
    return case


@pytest.fixture
def extended_case(new_year_case, people):
    """The lead asked for 2 more working days and the commerce bureau approved, on 31 December."""
    with travel(at(2026, 12, 31, 11)):
        request = request_more_time(
            case=new_year_case,
            kind="extension",
            days=2,
            reason="需要联合执法",
            actor=people[Actor.LEAD],
        )
        decide_request(request=request, approve=True, actor=people[Actor.COMMERCE])
    new_year_case.refresh_from_db()
    return new_year_case


def test_reported_at_the_end_of_2026_the_deadlines_count_2027_provisionally(new_year_case):
    case = new_year_case
    # Registering (1 day from 30 December): 31 December, certain.
    register_stage = CaseEvent.objects.get(case=case, action=CaseAction.REGISTER)
    assert register_stage.at.date() == dt.date(2026, 12, 31)
    # Handling: 1 January is 元旦 by law, 2–3 January a weekend: 4, 5 and 6 January.
    assert (case.stage, case.stage_deadline, case.stage_deadline_provisional) == (
        "handle",
        dt.date(2027, 1, 6),
        True,
    )
    assert (case.handling_deadline, case.handling_deadline_provisional) == (
        dt.date(2027, 1, 6),
        True,
    )


def test_an_extension_of_a_provisional_deadline_is_provisional(extended_case):
    request = CaseRequest.objects.get(case=extended_case)
    assert (request.old_deadline, request.old_deadline_provisional) == (dt.date(2027, 1, 6), True)
    assert (request.new_deadline, request.new_deadline_provisional) == (dt.date(2027, 1, 8), True)
    assert extended_case.stage_deadline_provisional


def _provisional_beside(html, date):
    """The date shown with the 暂定 badge right after it."""
    return re.search(rf'{date}\s*<span class="badge provisional"[^>]*>暂定</span>', html)


@pytest.mark.parametrize("role", [Actor.COMMERCE, Actor.TOWNSHIP])
def test_the_provisional_deadline_is_shown_as_such_on_every_page(
    client, api_client, extended_case, people, role
):
    user = people[role]
    with travel(at(2026, 12, 31, 15)):
        client.force_login(user)
        get = lambda name, *args, **params: client.get(  # noqa: E731
            reverse(name, args=args), params, HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
        case_page = get("inspections:case-detail", extended_case.pk)
        queue = get("inspections:case-list")
        register = get("inspections:request-register")
        dashboard = get("dashboards:dashboard")
        ledger = client.get(reverse("inspections:case-ledger"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        ledger = b"".join(ledger.streaming_content)
        api_client.force_authenticate(user)
        api = api_client.get(f"/api/v1/cases/{extended_case.pk}/").json()

    assert _provisional_beside(case_page, "2027-01-08")
    assert "节假日安排尚未录入的年份" in case_page
    assert _provisional_beside(queue, "2027-01-08")
    assert _provisional_beside(register, "2027-01-06") and _provisional_beside(
        register, "2027-01-08"
    )
    card = re.search(
        r'data-figure="provisional-deadlines">\s*<span class="figure">(\d+)</span>', dashboard
    )
    assert card and card.group(1) == "1"

    sheet = load_workbook(io.BytesIO(ledger)).worksheets[0]
    header, row = [[cell.value for cell in line] for line in sheet.iter_rows(min_row=2, max_row=3)]
    values = dict(zip(header, row, strict=True))
    assert values["环节时限"].date() == dt.date(2027, 1, 8)
    assert values["环节时限暂定"] == "暂定"
    assert values["处置时限暂定"] == "暂定"

    assert (api["stage_deadline"], api["stage_deadline_provisional"]) == ("2027-01-08", True)


def test_the_to_do_home_and_the_assessment_records_show_the_deadline_as_provisional(
    client, extended_case, people
):
    """我的待办 lists the case for its lead with the 暂定 badge; the assessment's record of the
    case (the evidence behind a score) names its handling deadline as provisional."""
    from assessments.selectors import resolve_records

    with travel(at(2026, 12, 31, 15)):
        client.force_login(people[Actor.LEAD])
        home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        with translation.override("zh-hans"):
            records = resolve_records(
                requests=[("inspections.case", [extended_case.pk])], user=people[Actor.COMMERCE]
            )

    assert extended_case.number in home
    assert _provisional_beside(home, "2027-01-08")
    (record,) = records.values()
    assert record.detail.startswith("2027-01-08（暂定）")


def test_entering_2027s_holidays_moves_the_deadline_and_ends_the_provisional_state(
    client, extended_case, commerce_admin, django_capture_on_commit_callbacks
):
    case = extended_case
    with travel(at(2027, 1, 2)):
        client.force_login(commerce_admin)
        # The notice (for this test): 1 to 4 January off. Each day saved is recomputed for.
        for day in ("2027-01-01", "2027-01-04"):
            with django_capture_on_commit_callbacks(execute=True):
                client.post(
                    reverse("agencies:holiday-create"),
                    {"day": day, "kind": "rest", "name": "元旦", "notice_number": NOTICE},
                    HTTP_ACCEPT_LANGUAGE="zh-hans",
                )

    case.refresh_from_db()
    # 4 January off too: handling is 5, 6 and 7 January, the extension 8 and 11 January.
    assert (case.stage_deadline, case.stage_deadline_provisional) == (dt.date(2027, 1, 11), True)
    assert case.handling_deadline == dt.date(2027, 1, 11)
    request = CaseRequest.objects.get(case=case)
    assert (request.old_deadline, request.new_deadline) == (
        dt.date(2027, 1, 7),
        dt.date(2027, 1, 11),
    )
    assert request.history.latest().history_user == commerce_admin
    (moved,) = CaseEvent.objects.filter(case=case, action="deadline_recomputed")
    assert "2027-01-08（暂定） → 2027-01-11（暂定）" in moved.comment
    assert "2027-01-04" in moved.comment  # why: the day entered
    assert moved.actor == commerce_admin
    record = case.history.latest()
    assert record.history_user == commerce_admin
    assert "2027-01-11" in record.history_change_reason

    with travel(at(2027, 1, 2, 11)):
        client.force_login(commerce_admin)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("agencies:calendar-year-complete", args=[2027]),
                {"notice_number": NOTICE},
                HTTP_ACCEPT_LANGUAGE="zh-hans",
            )
        case_page = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")

    case.refresh_from_db()
    assert (case.stage_deadline, case.stage_deadline_provisional) == (dt.date(2027, 1, 11), False)
    assert not case.handling_deadline_provisional
    request.refresh_from_db()
    assert not request.old_deadline_provisional and not request.new_deadline_provisional
    last = CaseEvent.objects.filter(case=case, action="deadline_recomputed").last()
    assert "2027-01-11 不变，不再是暂定" in last.comment
    html = case_page.content.decode()
    assert "2027-01-11" in html and not _provisional_beside(html, "2027-01-11")
    assert "时限重新计算" in html  # the timeline says so


def test_cases_that_do_not_count_the_changed_day_are_left_alone(
    built_up_site, dipu_grid_worker, new_year_case
):
    with travel(at(2026, 11, 2)):
        (early,) = report(built_up_site, dipu_grid_worker, "pollution")  # due 3 November
    changed = recompute_case_deadlines(
        first_day=dt.date(2027, 1, 4), last_day=dt.date(2027, 1, 4), reason="测试"
    )
    assert changed == 0  # nothing changed in the calendar: nothing written
    early.refresh_from_db()
    assert not CaseEvent.objects.filter(action="deadline_recomputed").exists()
    assert early.history.count() == 1


def test_a_chinese_calendar_upgrade_that_brings_2027_is_noticed_and_recomputes(
    new_year_case, monkeypatch, django_capture_on_commit_callbacks
):
    from agencies.tasks import record_library_years

    with travel(at(2027, 1, 2)), django_capture_on_commit_callbacks(execute=True):
        first = record_library_years.delay().get()
    assert first == list(range(2004, 2027))  # what chinese-calendar 1.11 knows
    new_year_case.refresh_from_db()
    assert new_year_case.stage_deadline_provisional  # nothing known about 2027 yet

    # The upgraded package: 1 to 3 January and Monday 4 January off.
    known = workdays.library_knows
    is_workday = chinese_calendar.is_workday
    monkeypatch.setattr(workdays, "library_knows", lambda year: known(year) or year == 2027)
    monkeypatch.setattr(
        chinese_calendar,
        "is_workday",
        lambda day: (
            is_workday(day)
            if day.year < 2027
            else day.weekday() < 5 and day not in {dt.date(2027, 1, 1), dt.date(2027, 1, 4)}
        ),
    )
    with travel(at(2027, 1, 2, 11)), django_capture_on_commit_callbacks(execute=True) as queued:
        assert record_library_years.delay().get() == [2027]
    assert len(queued) == 1  # one recomputation queued
    new_year_case.refresh_from_db()
    assert (new_year_case.stage_deadline, new_year_case.stage_deadline_provisional) == (
        dt.date(2027, 1, 7),
        False,
    )
    event = CaseEvent.objects.get(case=new_year_case, action="deadline_recomputed")
    assert "chinese-calendar" in event.comment and event.actor is None
    assert CalendarYear.objects.get(year=2027).library_known_at is not None

    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert record_library_years.delay().get() == []
    assert queued == []


def _count_calls(monkeypatch, module):
    calls = []
    real = module.load_calendar

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(module, "load_calendar", counted)
    return calls


def test_loops_over_cases_read_the_calendar_once(
    monkeypatch, built_up_site, dipu_grid_worker, commerce_admin, people
):
    from dashboards import meeting_pack
    from dashboards.periods import Period
    from inspections import deadlines, escalation
    from tests.factories import make_site

    with travel(at(2026, 12, 30)):
        for _ in range(3):
            site = make_site(actor=commerce_admin, village=built_up_site.village)
            report(site, dipu_grid_worker, "appearance", "fire_hazard")
    assert Case.objects.filter(stage_deadline=dt.date(2026, 12, 31)).count() == 6

    recomputing = _count_calls(monkeypatch, deadlines)
    recompute_case_deadlines(
        first_day=dt.date(2026, 12, 1), last_day=dt.date(2027, 1, 31), reason="x"
    )
    scanning = _count_calls(monkeypatch, escalation)
    escalation.escalate_overdue_cases(now=at(2027, 1, 12))
    packing = _count_calls(monkeypatch, meeting_pack)
    with travel(at(2027, 1, 12)):
        workbook, _name = meeting_pack.build_meeting_pack(
            user=commerce_admin, period=Period.parse("2027-01", today=dt.date(2027, 1, 12))
        )
        workbook.save(io.BytesIO())
    assert (len(recomputing), len(scanning), len(packing)) == (1, 1, 1)


def test_the_meeting_pack_marks_an_overdue_cases_provisional_deadline(
    extended_case, commerce_admin
):
    from dashboards.meeting_pack import build_meeting_pack
    from dashboards.periods import Period

    with travel(at(2027, 1, 12)):
        workbook, _name = build_meeting_pack(
            user=commerce_admin, period=Period.parse("2027-01", today=dt.date(2027, 1, 12))
        )
        content = io.BytesIO()
        workbook.save(content)
    workbook = load_workbook(content)
    rows = [
        [cell.value for cell in row]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        if extended_case.number in [cell.value for cell in row[:2]]
    ]
    (row,) = rows
    assert "2027-01-08（暂定）" in row
    assert row[-1] == 2  # 11 and 12 January: working days overdue
