"""Joint meetings: planning, recording, action items, reminders, recurrence and the pages."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.choices import NotificationKind, Role
from accounts.models import Notification
from agencies import meetings
from agencies.choices import ActionItemStatus, MeetingStatus, Recurrence
from agencies.models import Agency, Meeting, Schedule
from anji_recycling.anji_time import ANJI
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ANJI)


@pytest.fixture
def market():
    return Agency.objects.get(code="market")


@pytest.fixture
def schedule():
    schedule = Schedule.current()
    schedule.meeting_reminder_days = 3
    schedule.meeting_morning_hour = 8
    schedule.action_item_reminder_days = 7
    schedule.save()
    return schedule


def plan(actor, *, starts_at, agencies=(), invitees=(), **fields) -> Meeting:
    values = {
        "title": "2026年第四季度联席会议",
        "place": "县商务局三楼会议室",
        "convener": "县商务局",
    }
    values.update(fields)
    return meetings.plan_meeting(
        meeting=Meeting(starts_at=starts_at, **values),
        actor=actor,
        invited_agencies=agencies,
        invitees=invitees,
    )


def held_meeting(actor, *, starts_at, agencies=(), **fields) -> Meeting:
    meeting = plan(actor, starts_at=starts_at, agencies=agencies, **fields)
    return meetings.record_meeting(
        meeting=meeting,
        actor=actor,
        present_agencies=agencies,
        minutes="会议听取了各部门工作汇报。",
        decisions="一、加强巡查。",
        now=starts_at + dt.timedelta(hours=2),
    )


def reminders(**filters):
    return Notification.objects.filter(kind=NotificationKind.MEETING_REMINDER, **filters)


# --- Meeting reminders --------------------------------------------------------------------


@pytest.fixture
def december_meeting(commerce_admin, market_officer, leader, market, schedule):
    return plan(commerce_admin, starts_at=at(2026, 12, 10, 9), agencies=[market], invitees=[leader])


def sweep(moment):
    with time_machine.travel(moment, tick=False):
        return meetings.send_meeting_reminders(now=moment)


def test_nothing_is_sent_before_the_days_before_reminder_is_due(december_meeting):
    sweep(at(2026, 12, 7, 7, 59))
    assert not reminders().exists()


def test_invitees_and_agency_officers_are_reminded_at_8_three_days_before(
    december_meeting, market_officer, leader
):
    result = sweep(at(2026, 12, 7, 8, 0))
    assert result["notifications"] == 2
    recipients = set(reminders().values_list("recipient_id", flat=True))
    assert recipients == {market_officer.pk, leader.pk}
    assert reminders().first().link == december_meeting.get_absolute_url()


def test_meeting_day_reminder_goes_at_8_on_the_day_and_none_twice(december_meeting):
    for moment in [
        at(2026, 12, 7, 8, 0),
        at(2026, 12, 7, 8, 5),
        at(2026, 12, 9, 23, 0),
        at(2026, 12, 10, 7, 59),
    ]:
        sweep(moment)
    assert reminders().count() == 2
    assert not reminders(dedupe_key__contains=":day:").exists()
    for moment in [at(2026, 12, 10, 8, 0), at(2026, 12, 10, 8, 5), at(2026, 12, 10, 8, 55)]:
        sweep(moment)
    assert reminders(dedupe_key__contains=":day:").count() == 2
    assert reminders().count() == 4
    sweep(at(2026, 12, 10, 9, 30))
    assert reminders().count() == 4


def test_reminder_missed_while_workers_were_down_goes_out_on_the_next_sweep(december_meeting):
    sweep(at(2026, 12, 8, 15, 0))
    assert reminders(dedupe_key__contains=":before:").count() == 2


def test_no_reminder_once_the_meeting_has_started(december_meeting):
    sweep(at(2026, 12, 10, 9, 1))
    assert not reminders().exists()


def test_no_meeting_day_reminder_for_a_meeting_before_the_morning_hour(
    commerce_admin, leader, schedule
):
    plan(commerce_admin, starts_at=at(2026, 12, 10, 7, 30), invitees=[leader])
    sweep(at(2026, 12, 9, 20, 0))  # the days-before reminder, caught up
    sweep(at(2026, 12, 10, 7, 0))
    assert reminders().count() == 1
    assert not reminders(dedupe_key__contains=":day:").exists()


def test_rescheduled_meeting_reminds_again(december_meeting, commerce_admin, leader):
    sweep(at(2026, 12, 7, 8, 0))
    december_meeting.starts_at = at(2026, 12, 17, 9)
    meetings.update_meeting(meeting=december_meeting, actor=commerce_admin)
    sweep(at(2026, 12, 7, 9, 0))
    assert reminders(recipient=leader).count() == 1
    sweep(at(2026, 12, 14, 8, 0))
    assert reminders(recipient=leader).count() == 2


def test_cancelled_meeting_sends_no_reminders(december_meeting, commerce_admin):
    meetings.cancel_meeting(meeting=december_meeting, actor=commerce_admin)
    sweep(at(2026, 12, 10, 8, 0))
    assert not reminders().exists()


def test_inactive_officer_is_not_reminded(december_meeting, market_officer):
    market_officer.is_active = False
    market_officer.save()
    sweep(at(2026, 12, 7, 8, 0))
    assert not reminders(recipient=market_officer).exists()


def test_celery_task_uses_the_current_time(december_meeting):
    from agencies.tasks import send_meeting_reminders

    with time_machine.travel(at(2026, 12, 7, 8, 1), tick=False):
        result = send_meeting_reminders.apply().get()
    assert result["notifications"] == 2


# --- Overdue action items -----------------------------------------------------------------


@pytest.fixture
def overdue_item(commerce_admin, market, schedule):
    meeting = held_meeting(commerce_admin, starts_at=at(2026, 3, 2, 9), agencies=[market])
    return meetings.add_action_item(
        meeting=meeting,
        agency=market,
        description="整治城西废品收购点占道经营",
        due_on=dt.date(2026, 3, 31),
        actor=commerce_admin,
    )


def item_reminders(officer):
    return Notification.objects.filter(kind=NotificationKind.ACTION_ITEM, recipient=officer)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 31), 0),  # due today: not overdue yet
        (dt.date(2026, 4, 1), 1),  # the day after
        (dt.date(2026, 4, 7), 1),
        (dt.date(2026, 4, 8), 2),  # seven days later
        (dt.date(2026, 4, 14), 2),
        (dt.date(2026, 4, 15), 3),
    ],
)
def test_overdue_item_reminds_its_agency_every_seven_days(
    overdue_item, market_officer, day, expected
):
    start = dt.date(2026, 3, 30)
    for offset in range((day - start).days + 1):
        for _ in range(2):  # the sweep runs many times a day
            meetings.remind_overdue_action_items(today=start + dt.timedelta(days=offset))
    assert item_reminders(market_officer).count() == expected


def test_catching_up_sends_one_reminder_not_one_per_missed_period(overdue_item, market_officer):
    meetings.remind_overdue_action_items(today=dt.date(2026, 5, 1))
    assert item_reminders(market_officer).count() == 1


def test_done_item_is_not_reminded(overdue_item, market_officer, commerce_admin):
    meetings.complete_action_item(item=overdue_item, actor=commerce_admin)
    meetings.remind_overdue_action_items(today=dt.date(2026, 4, 1))
    assert not item_reminders(market_officer).exists()
    overdue_item.refresh_from_db()
    assert overdue_item.status == ActionItemStatus.DONE


def test_other_agencies_are_not_reminded(overdue_item, commerce_admin):
    other = make_user(Role.AGENCY_OFFICER, agency_code="supervision")
    meetings.remind_overdue_action_items(today=dt.date(2026, 4, 1))
    assert not item_reminders(other).exists()


# --- Recurrence ---------------------------------------------------------------------------


def test_quarterly_meeting_drafts_exactly_one_next_meeting_three_months_later(
    commerce_admin, market, leader
):
    meeting = held_meeting(
        commerce_admin,
        starts_at=at(2026, 3, 31, 9),
        agencies=[market],
        recurrence=Recurrence.QUARTERLY,
    )
    meeting.invitees.add(leader)
    now = at(2026, 4, 1, 10)
    for _ in range(3):
        meetings.draft_recurring_meetings(now=now)
    drafts = Meeting.objects.filter(previous=meeting)
    assert drafts.count() == 1
    draft = drafts.get()
    assert draft.starts_at == at(2026, 6, 30, 9)
    assert draft.status == MeetingStatus.PLANNED
    assert draft.title == meeting.title
    assert draft.place == meeting.place
    assert draft.convener == meeting.convener
    assert draft.recurrence == Recurrence.QUARTERLY
    assert list(draft.invited_agencies.all()) == [market]
    assert list(draft.invitees.all()) == [leader]


def test_planned_or_non_recurring_meetings_draft_nothing(commerce_admin):
    plan(commerce_admin, starts_at=at(2026, 3, 2, 9), recurrence=Recurrence.MONTHLY)
    held_meeting(commerce_admin, starts_at=at(2026, 3, 3, 9))
    result = meetings.draft_recurring_meetings(now=at(2026, 4, 1, 10))
    assert result["drafted"] == 0


def test_monthly_meeting_on_the_31st_moves_to_the_end_of_a_short_month():
    assert meetings.add_months(at(2026, 1, 31, 9), 1) == at(2026, 2, 28, 9)
    assert meetings.add_months(at(2026, 7, 15, 14), 6) == at(2027, 1, 15, 14)


def test_draft_of_a_meeting_held_long_ago_is_in_the_future(commerce_admin):
    meeting = held_meeting(
        commerce_admin, starts_at=at(2026, 1, 10, 9), recurrence=Recurrence.MONTHLY
    )
    meetings.draft_recurring_meetings(now=at(2026, 4, 20, 10))
    assert meeting.next_meeting.starts_at == at(2026, 5, 10, 9)


# --- Services and permissions -------------------------------------------------------------


def test_recording_writes_attendance_per_invited_agency(commerce_admin, market):
    supervision = Agency.objects.get(code="supervision")
    meeting = plan(commerce_admin, starts_at=at(2026, 3, 2, 9), agencies=[market, supervision])
    meetings.record_meeting(
        meeting=meeting,
        actor=commerce_admin,
        present_agencies=[market],
        minutes="纪要",
        decisions="决定",
        now=at(2026, 3, 2, 11),
    )
    rows = {row.agency.code: row.present for row in meeting.attendance.all()}
    assert rows == {"market": True, "supervision": False}
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.history.first().history_user == commerce_admin


def test_a_meeting_cannot_be_recorded_before_it_starts(commerce_admin):
    meeting = plan(commerce_admin, starts_at=at(2026, 3, 2, 9))
    with pytest.raises(ValidationError):
        meetings.record_meeting(
            meeting=meeting,
            actor=commerce_admin,
            present_agencies=[],
            minutes="",
            decisions="",
            now=at(2026, 3, 1, 9),
        )


def test_agency_officer_cannot_plan_or_change_meetings(market_officer, commerce_admin):
    with pytest.raises(PermissionDenied):
        plan(market_officer, starts_at=at(2026, 3, 2, 9))
    meeting = plan(commerce_admin, starts_at=at(2026, 3, 2, 9))
    with pytest.raises(PermissionDenied):
        meetings.cancel_meeting(meeting=meeting, actor=market_officer)


def test_agency_officer_reports_progress_only_on_own_agency_items(
    overdue_item, market_officer, commerce_admin
):
    meetings.report_progress(item=overdue_item, author=market_officer, text="已约谈经营户。")
    meetings.report_progress(item=overdue_item, author=commerce_admin, text="已现场督查。")
    assert overdue_item.updates.count() == 2
    other = make_user(Role.AGENCY_OFFICER, agency_code="supervision")
    with pytest.raises(PermissionDenied):
        meetings.report_progress(item=overdue_item, author=other, text="不是我们的事项")
    with pytest.raises(PermissionDenied):
        meetings.complete_action_item(item=overdue_item, actor=market_officer)


# --- Pages --------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def two_meetings(overdue_item, commerce_admin, market, leader):
    """A held meeting with an open item, and the next meeting planned after it."""
    meetings.report_progress(item=overdue_item, author=commerce_admin, text="已督查")
    held = overdue_item.meeting
    held.recurrence = Recurrence.MONTHLY
    meetings.update_meeting(meeting=held, actor=commerce_admin)
    meetings.draft_recurring_meetings(now=at(2026, 3, 3, 9))
    return held, Meeting.objects.get(previous=held)


@pytest.mark.parametrize("role", list(Role))
def test_meeting_pages_render_for_every_role(client, users_by_role, two_meetings, role):
    held, following = two_meetings
    login(client, users_by_role[role])
    assert client.get(reverse("agencies:meeting-list")).status_code == 200
    for meeting in two_meetings:
        response = client.get(meeting.get_absolute_url())
        assert response.status_code == 200
    assert "整治城西废品收购点占道经营" in response.content.decode()  # carried over
    can_edit = role == Role.COMMERCE_ADMIN
    expected = 200 if can_edit else 403
    assert client.get(reverse("agencies:schedule-update")).status_code == expected
    assert client.get(reverse("agencies:meeting-create")).status_code == expected
    assert client.get(reverse("agencies:meeting-update", args=[held.pk])).status_code == expected


def test_anonymous_user_is_sent_to_login(client, two_meetings):
    response = client.get(reverse("agencies:meeting-list"))
    assert response.status_code == 302


def test_meeting_list_and_page_have_fixed_query_counts(
    client, commerce_admin, market, django_assert_max_num_queries
):
    login(client, commerce_admin)
    for month in range(1, 7):
        meeting = held_meeting(commerce_admin, starts_at=at(2026, month, 2, 9), agencies=[market])
        for n in range(3):
            item = meetings.add_action_item(
                meeting=meeting,
                agency=market,
                description=f"事项{n}",
                due_on=dt.date(2026, month, 20),
                actor=commerce_admin,
            )
            meetings.report_progress(item=item, author=commerce_admin, text="进展")
    plan(commerce_admin, starts_at=at(2030, 1, 2, 9), agencies=[market])
    # +1 each: the reminder to enter next year's holidays that commerce admins see.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("agencies:meeting-list")).status_code == 200
    with django_assert_max_num_queries(17):
        assert client.get(meeting.get_absolute_url()).status_code == 200


def test_commerce_admin_plans_a_meeting_through_the_page(client, commerce_admin, market, leader):
    login(client, commerce_admin)
    response = client.post(
        reverse("agencies:meeting-create"),
        {
            "title": "专题会议",
            "kind": "special",
            "starts_at": "2026-12-10T09:00",
            "place": "县政府第一会议室",
            "convener": "县政府办",
            "agenda": "研究回收站点布局",
            "invited_agencies": [market.pk],
            "invitees": [leader.pk],
            "recurrence": "",
        },
    )
    meeting = Meeting.objects.get(title="专题会议")
    assert response.status_code == 302
    assert meeting.starts_at == at(2026, 12, 10, 9)
    assert list(meeting.invited_agencies.all()) == [market]
    assert list(meeting.invitees.all()) == [leader]


def test_agency_officer_reports_progress_through_the_page(client, overdue_item, market_officer):
    login(client, market_officer)
    url = reverse("agencies:action-item-progress", args=[overdue_item.pk])
    response = client.post(url, {"text": "已完成整改一半"})
    assert response.status_code == 302
    assert overdue_item.updates.get().author == market_officer


def test_other_agency_officer_gets_403_reporting_progress(client, overdue_item):
    other = make_user(Role.AGENCY_OFFICER, agency_code="supervision")
    login(client, other)
    url = reverse("agencies:action-item-progress", args=[overdue_item.pk])
    assert client.post(url, {"text": "x"}).status_code == 403
    assert not overdue_item.updates.exists()


def test_commerce_admin_edits_the_schedule(client, commerce_admin, schedule):
    login(client, commerce_admin)
    data = {
        "meeting_reminder_days": 5,
        "meeting_morning_hour": 9,
        "action_item_reminder_days": 3,
        "escalation_delay_days": 3,
        "licence_reminder_days": 30,
    }
    response = client.post(reverse("agencies:schedule-update"), data)
    assert response.status_code == 302
    schedule = Schedule.current()
    assert (schedule.meeting_reminder_days, schedule.meeting_morning_hour) == (5, 9)
    assert schedule.history.first().history_user == commerce_admin
    data["meeting_morning_hour"] = 24
    response = client.post(reverse("agencies:schedule-update"), data)
    assert response.status_code == 200
    assert Schedule.current().meeting_morning_hour == 9


def test_other_roles_cannot_post_the_schedule(client, market_officer, schedule):
    login(client, market_officer)
    response = client.post(reverse("agencies:schedule-update"), {"meeting_reminder_days": 1})
    assert response.status_code == 403
    assert Schedule.current().meeting_reminder_days == 3


def test_overdue_flag_on_the_meeting_page(client, overdue_item, commerce_admin):
    login(client, commerce_admin)
    with time_machine.travel(at(2026, 4, 2, 10), tick=False):
        response = client.get(overdue_item.meeting.get_absolute_url())
    assert 'class="overdue"' in response.content.decode()
