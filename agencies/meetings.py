"""Joint meetings (联席会议) and their action items (督办事项): services (writes) and selectors
(reads). Every write is atomic, checks access first and leaves a history entry; the sweeps
(`send_meeting_reminders`, `remind_overdue_action_items`, `draft_recurring_meetings`) are
idempotent, so beat may run them as often as it likes and catch up after downtime."""

import calendar
import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_county_admin
from accounts.choices import NotificationKind
from accounts.notifications import notify
from accounts.selectors import officers_to_notify
from anji_recycling.anji_time import anji_moment, anji_today, in_anji
from anji_recycling.history import save_with_history

from .choices import ActionItemAction, ActionItemStatus, MeetingAction, MeetingStatus, Recurrence
from .models import ActionItem, ActionItemUpdate, Agency, Meeting, MeetingAttendance, Schedule
from .policy import ACTION_ITEM_POLICY, MEETING_POLICY

logger = logging.getLogger(__name__)


RECURRENCE_MONTHS = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.HALF_YEARLY: 6,
    Recurrence.YEARLY: 12,
}


# --- Access -------------------------------------------------------------------------------


def can_change_meetings(user) -> bool:
    return is_county_admin(user)


def ensure_can_change_meetings(user) -> None:
    if not can_change_meetings(user):
        raise PermissionDenied(_("Only the commerce bureau plans and records joint meetings."))


# --- Helpers ------------------------------------------------------------------------------


def add_months(value: dt.datetime, months: int) -> dt.datetime:
    """The same local wall-clock time `months` calendar months later (31 Jan + 1 → 28/29 Feb)."""
    local = in_anji(value)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def local_morning(day: dt.date, hour: int) -> dt.datetime:
    return anji_moment(day, hour)


def meeting_recipients(meetings) -> dict[int, list]:
    """Invitees of each meeting: the invited people and the active officers of the invited
    agencies, once each (meetings must prefetch `invitees` and `invited_agencies`)."""
    agency_ids = {agency.pk for meeting in meetings for agency in meeting.invited_agencies.all()}
    officers_by_agency = officers_to_notify(agency_ids=agency_ids)
    result = {}
    for meeting in meetings:
        people = {user.pk: user for user in meeting.invitees.all()}
        for agency in meeting.invited_agencies.all():
            people.update({user.pk: user for user in officers_by_agency.get(agency.pk, [])})
        result[meeting.pk] = list(people.values())
    return result


def agency_officers(agency_id: int) -> list:
    return officers_to_notify(agency_ids=[agency_id]).get(agency_id, [])


# --- Meeting services ---------------------------------------------------------------------


def _set_invitations(meeting: Meeting, *, invited_agencies, invitees) -> None:
    if invited_agencies is not None:
        meeting.invited_agencies.set(invited_agencies)
    if invitees is not None:
        meeting.invitees.set(invitees)


@transaction.atomic
def plan_meeting(
    *, meeting: Meeting, actor, invited_agencies=(), invitees=(), reason: str = ""
) -> Meeting:
    ensure_can_change_meetings(actor)
    meeting.status = MeetingStatus.PLANNED
    save_with_history(meeting, actor=actor, reason=reason or _("Meeting planned"))
    _set_invitations(meeting, invited_agencies=invited_agencies, invitees=invitees)
    return meeting


@transaction.atomic
def update_meeting(
    *, meeting: Meeting, actor, invited_agencies=None, invitees=None, reason: str = ""
) -> Meeting:
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    MEETING_POLICY.ensure_allowed(stored, actor, MeetingAction.EDIT)
    meeting.status = stored.status
    save_with_history(meeting, actor=actor, reason=reason)
    _set_invitations(meeting, invited_agencies=invited_agencies, invitees=invitees)
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, actor, reason: str = "") -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    MEETING_POLICY.ensure_allowed(meeting, actor, MeetingAction.CANCEL)
    meeting.status = MeetingStatus.CANCELLED
    return save_with_history(meeting, actor=actor, reason=reason or _("Meeting cancelled"))


@transaction.atomic
def record_meeting(
    *, meeting: Meeting, actor, present_agencies, minutes: str, decisions: str, now=None
) -> Meeting:
    """Record a meeting as held: one attendance row per invited agency (present or absent),
    the minutes and the decisions. Recording again replaces the attendance rows."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    MEETING_POLICY.ensure_allowed(meeting, actor, MeetingAction.RECORD)
    if meeting.starts_at > now:
        raise ValidationError(_("A meeting can be recorded only once it has started."))
    present_ids = {agency.pk for agency in present_agencies}
    meeting.status = MeetingStatus.HELD
    meeting.minutes = minutes
    meeting.decisions = decisions
    save_with_history(meeting, actor=actor, reason=_("Meeting recorded"))
    meeting.attendance.filter(agency__isnull=False).delete()
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, agency=agency, present=agency.pk in present_ids)
        for agency in meeting.invited_agencies.all()
    )
    return meeting


# --- Action items -------------------------------------------------------------------------


@transaction.atomic
def add_action_item(
    *, meeting: Meeting, agency: Agency, description: str, due_on: dt.date, actor
) -> ActionItem:
    MEETING_POLICY.ensure_allowed(meeting, actor, MeetingAction.ASSIGN_ITEM)
    item = ActionItem(meeting=meeting, agency=agency, description=description, due_on=due_on)
    return save_with_history(item, actor=actor, reason=_("Action item assigned"))


@transaction.atomic
def report_progress(*, item: ActionItem, author, text: str) -> ActionItemUpdate:
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    ACTION_ITEM_POLICY.ensure_allowed(item, author, ActionItemAction.REPORT_PROGRESS)
    if not text.strip():
        raise ValidationError(_("Describe the progress."))
    update = ActionItemUpdate(item=item, author=author, text=text.strip())
    update.full_clean()
    update.save()
    # Touch the item so its history shows who reported last.
    save_with_history(item, actor=author, reason=_("Progress reported"), validate=False)
    return update


@transaction.atomic
def complete_action_item(*, item: ActionItem, actor, done_on: dt.date | None = None) -> ActionItem:
    """The commerce bureau (the leading group's office) confirms an item is done."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    ACTION_ITEM_POLICY.ensure_allowed(item, actor, ActionItemAction.COMPLETE)
    item.status = ActionItemStatus.DONE
    item.done_on = done_on or anji_today()
    return save_with_history(item, actor=actor, reason=_("Action item done"))


@transaction.atomic
def save_schedule(*, schedule: Schedule, actor) -> Schedule:
    ensure_can_change_meetings(actor)
    return save_with_history(schedule, actor=actor)


# --- Sweeps -------------------------------------------------------------------------------


def _reminder_text(meeting: Meeting) -> tuple[str, str]:
    local = in_anji(meeting.starts_at)
    when = local.strftime("%Y-%m-%d %H:%M")
    title = _("Joint meeting on %(when)s: %(title)s") % {"when": when, "title": meeting.title}
    body = _("%(title)s\nTime: %(when)s\nPlace: %(place)s\nConvener: %(convener)s") % {
        "title": meeting.title,
        "when": when,
        "place": meeting.place,
        "convener": meeting.convener,
    }
    return title, body


def due_meeting_reminders(meeting: Meeting, *, now: dt.datetime, schedule: Schedule) -> list[str]:
    """Which reminder kinds are due for a planned meeting at `now` (at most one: when the
    meeting-day reminder is due, a days-before reminder that was missed is not sent too)."""
    if meeting.starts_at <= now:
        return []
    meeting_day = in_anji(meeting.starts_at).date()
    hour = schedule.meeting_morning_hour
    day_due = local_morning(meeting_day, hour)
    if day_due <= now and day_due < meeting.starts_at:
        return ["day"]
    lead = schedule.meeting_reminder_days
    if lead and local_morning(meeting_day - dt.timedelta(days=lead), hour) <= now:
        return ["before"]
    return []


def send_meeting_reminders(*, now: dt.datetime) -> dict:
    """Remind every invitee of each planned meeting N days before and on the meeting morning,
    once each per meeting date (the key carries the date, so a rescheduled meeting reminds
    again)."""
    schedule = Schedule.current()
    horizon = now + dt.timedelta(days=schedule.meeting_reminder_days + 2)
    meetings = list(
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lt=horizon
        ).prefetch_related("invitees", "invited_agencies")
    )
    due = {
        meeting.pk: due_meeting_reminders(meeting, now=now, schedule=schedule)
        for meeting in meetings
    }
    meetings = [meeting for meeting in meetings if due[meeting.pk]]
    recipients = meeting_recipients(meetings)
    counts = {"meetings": 0, "notifications": 0}
    for meeting in meetings:
        title, body = _reminder_text(meeting)
        meeting_day = in_anji(meeting.starts_at).date().isoformat()
        for kind in due[meeting.pk]:
            sent = notify(
                recipients=recipients[meeting.pk],
                kind=NotificationKind.MEETING_REMINDER,
                title=title,
                key=f"meeting:{meeting.pk}:{kind}:{meeting_day}",
                body=body,
                link=meeting.get_absolute_url(),
            )
            counts["notifications"] += sent
            counts["meetings"] += 1 if sent else 0
    return counts


def overdue_period(item: ActionItem, *, today: dt.date, every: int) -> int | None:
    """Index of the reminder period an open item is in (0 the day after it fell due, 1 after
    `every` more days, …), or None when it is not overdue."""
    if item.status != ActionItemStatus.OPEN or item.due_on >= today:
        return None
    return ((today - item.due_on).days - 1) // max(every, 1)


def remind_overdue_action_items(*, today: dt.date) -> dict:
    """Remind the officers of the responsible agency of each overdue open item the day after
    it falls due and then every `action_item_reminder_days` days."""
    every = Schedule.current().action_item_reminder_days
    items = list(
        ActionItem.objects.filter(status=ActionItemStatus.OPEN, due_on__lt=today).select_related(
            "agency", "meeting"
        )
    )
    officers_by_agency = officers_to_notify(agency_ids={item.agency_id for item in items})
    counts = {"items": 0, "notifications": 0}
    for item in items:
        period = overdue_period(item, today=today, every=every)
        title = _("Overdue action item (due %(due)s): %(task)s") % {
            "due": item.due_on.isoformat(),
            "task": item.description[:60],
        }
        sent = notify(
            recipients=officers_by_agency.get(item.agency_id, []),
            kind=NotificationKind.ACTION_ITEM,
            title=title,
            key=f"action-item:{item.pk}:overdue:{period}",
            body=_("From the meeting: %(meeting)s") % {"meeting": item.meeting.title},
            link=item.meeting.get_absolute_url(),
        )
        counts["notifications"] += sent
        counts["items"] += 1 if sent else 0
    return counts


def next_occurrence(meeting: Meeting, *, now: dt.datetime) -> dt.datetime:
    """The next date in the series after `meeting` that is still to come."""
    months = RECURRENCE_MONTHS[meeting.recurrence]
    step = 1
    starts_at = add_months(meeting.starts_at, months)
    while starts_at <= now:
        step += 1
        starts_at = add_months(meeting.starts_at, months * step)
    return starts_at


def draft_recurring_meetings(*, now: dt.datetime) -> dict:
    """Draft the next meeting of each held recurring meeting that has none yet. The OneToOne
    `previous` makes this safe to run twice or on two workers at once."""
    held = (
        Meeting.objects.filter(status=MeetingStatus.HELD, next_meeting__isnull=True)
        .exclude(recurrence="")
        .prefetch_related("invitees", "invited_agencies")
    )
    counts = {"drafted": 0, "skipped": 0}
    for meeting in held:
        if meeting.recurrence not in RECURRENCE_MONTHS:
            continue
        draft = Meeting(
            title=meeting.title,
            kind=meeting.kind,
            status=MeetingStatus.PLANNED,
            starts_at=next_occurrence(meeting, now=now),
            place=meeting.place,
            convener=meeting.convener,
            recurrence=meeting.recurrence,
            previous=meeting,
        )
        try:
            with transaction.atomic():
                save_with_history(draft, actor=None, reason=_("Drafted from a recurring meeting"))
                draft.invited_agencies.set(meeting.invited_agencies.all())
                draft.invitees.set(meeting.invitees.all())
        except (IntegrityError, ValidationError):
            # Another worker drafted it first (previous is unique).
            counts["skipped"] += 1
            continue
        counts["drafted"] += 1
    return counts


# --- Selectors ----------------------------------------------------------------------------


def upcoming_meetings(*, user, now: dt.datetime):
    """Planned meetings still to come, soonest first."""
    return (
        Meeting.objects.visible_to(user)
        .filter(status=MeetingStatus.PLANNED, starts_at__gte=now)
        .prefetch_related("invited_agencies")
        .order_by("starts_at", "pk")
    )


def past_meetings(*, user, now: dt.datetime):
    """Held and cancelled meetings, and planned ones whose time has passed, latest first."""
    return (
        Meeting.objects.visible_to(user)
        .exclude(Q(status=MeetingStatus.PLANNED) & Q(starts_at__gte=now))
        .prefetch_related("invited_agencies")
        .order_by("-starts_at", "-pk")
    )


def _items_with_updates():
    updates = ActionItemUpdate.objects.select_related("author").order_by("at", "pk")
    return Prefetch(
        "action_items",
        queryset=ActionItem.objects.select_related("agency").prefetch_related(
            Prefetch("updates", queryset=updates)
        ),
    )


def meeting_page(*, user, pk: int) -> Meeting:
    """One meeting with everything its page shows, in a fixed number of queries."""
    return (
        Meeting.objects.visible_to(user)
        .select_related("previous")
        .prefetch_related(
            "invited_agencies",
            "invitees",
            Prefetch(
                "attendance",
                queryset=MeetingAttendance.objects.select_related("agency", "township").order_by(
                    "agency__sort_order", "pk"
                ),
            ),
            _items_with_updates(),
        )
        .get(pk=pk)
    )


def open_action_items(*, user):
    """Action items not yet done, from the latest meeting back, each with its updates (newest
    first): what the next joint meeting follows up. Three queries whatever their number."""
    return (
        ActionItem.objects.visible_to(user)
        .filter(status=ActionItemStatus.OPEN)
        .select_related("agency", "meeting")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ActionItemUpdate.objects.select_related("author").order_by("-at", "-pk"),
            )
        )
        .order_by("-meeting__starts_at", "due_on", "pk")
    )


def carried_over_items(*, meeting: Meeting, user):
    """Open items of the meeting before this one (its `previous`, else the last held meeting
    before it), shown on this meeting's page until they are done."""
    previous_id = meeting.previous_id
    if previous_id is None:
        previous_id = (
            Meeting.objects.filter(status=MeetingStatus.HELD, starts_at__lt=meeting.starts_at)
            .order_by("-starts_at")
            .values_list("pk", flat=True)
            .first()
        )
    if previous_id is None:
        return ActionItem.objects.none()
    return (
        ActionItem.objects.visible_to(user)
        .filter(meeting_id=previous_id, status=ActionItemStatus.OPEN)
        .select_related("agency", "meeting")
        .prefetch_related(
            Prefetch("updates", queryset=ActionItemUpdate.objects.select_related("author"))
        )
    )
