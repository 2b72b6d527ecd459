"""Portal pages for joint meetings, their action items and the schedule settings. Views are
thin: selectors read, services in meetings.py write and check access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import has_role
from anji_recycling.anji_time import anji_today

from . import meetings
from .meeting_forms import (
    ActionItemForm,
    CancelMeetingForm,
    MeetingForm,
    ProgressForm,
    RecordMeetingForm,
    ScheduleForm,
)
from .models import ActionItem, Meeting, Schedule
from .policy import ACTION_ITEM_POLICY, MEETING_POLICY


def _require_role(user):
    if not has_role(user):
        raise PermissionDenied


def _visible_meeting(user, pk) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(user), pk=pk)


def _form_page(request, *, form, save, success, heading, cancel_url, done=None):
    """Show the form; on a valid POST call `save(cleaned_data)` (a service) and go to `done`,
    or else to what the service returned; the service's refusals land on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(done or saved)
    context = {"form": form, "heading": heading, "cancel_url": cancel_url}
    return render(request, "agencies/meeting_form.html", context)


@login_required
def meeting_list(request):
    _require_role(request.user)
    now = timezone.now()
    past = Paginator(meetings.past_meetings(user=request.user, now=now), 30)
    context = {
        "upcoming": meetings.upcoming_meetings(user=request.user, now=now),
        "page_obj": past.get_page(request.GET.get("page")),
        "can_edit": meetings.can_change_meetings(request.user),
    }
    return render(request, "agencies/meeting_list.html", context)


@login_required
def meeting_detail(request, pk):
    _require_role(request.user)
    try:
        meeting = meetings.meeting_page(user=request.user, pk=pk)
    except Meeting.DoesNotExist as error:
        raise Http404 from error
    user = request.user
    today = anji_today()
    items = list(meeting.action_items.all())
    carried = list(meetings.carried_over_items(meeting=meeting, user=user))
    for item in items + carried:
        item.allowed = ACTION_ITEM_POLICY.allowed_actions(item, user)
        item.overdue = item.status == "open" and item.due_on < today
    context = {
        "meeting": meeting,
        "items": items,
        "carried_over": carried,
        "allowed": MEETING_POLICY.allowed_actions(meeting, user),
        "next_meeting": Meeting.objects.filter(previous_id=meeting.pk).first(),
    }
    return render(request, "agencies/meeting_detail.html", context)


@login_required
def meeting_create(request):
    meetings.ensure_can_change_meetings(request.user)
    form = MeetingForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        save=lambda data: meetings.plan_meeting(
            meeting=form.instance,
            actor=request.user,
            invited_agencies=data["invited_agencies"],
            invitees=data["invitees"],
        ),
        success=_("Meeting planned."),
        heading=_("Plan a joint meeting"),
        cancel_url=reverse("agencies:meeting-list"),
    )


@login_required
def meeting_update(request, pk):
    meetings.ensure_can_change_meetings(request.user)
    meeting = _visible_meeting(request.user, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    return _form_page(
        request,
        form=form,
        save=lambda data: meetings.update_meeting(
            meeting=form.instance,
            actor=request.user,
            invited_agencies=data["invited_agencies"],
            invitees=data["invitees"],
        ),
        success=_("Saved."),
        heading=_("Edit %(name)s") % {"name": meeting},
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
def meeting_cancel(request, pk):
    meetings.ensure_can_change_meetings(request.user)
    meeting = _visible_meeting(request.user, pk)
    form = CancelMeetingForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        save=lambda data: meetings.cancel_meeting(
            meeting=meeting, actor=request.user, reason=data["reason"]
        ),
        done=meeting,
        success=_("Meeting cancelled."),
        heading=_("Cancel %(name)s") % {"name": meeting},
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
def meeting_record(request, pk):
    meetings.ensure_can_change_meetings(request.user)
    meeting = _visible_meeting(request.user, pk)
    form = RecordMeetingForm(request.POST or None, meeting=meeting)
    return _form_page(
        request,
        form=form,
        save=lambda data: meetings.record_meeting(
            meeting=meeting,
            actor=request.user,
            present_agencies=data["present_agencies"],
            minutes=data["minutes"],
            decisions=data["decisions"],
        ),
        done=meeting,
        success=_("Meeting recorded."),
        heading=_("Record %(name)s") % {"name": meeting},
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
def action_item_create(request, pk):
    meetings.ensure_can_change_meetings(request.user)
    meeting = _visible_meeting(request.user, pk)
    form = ActionItemForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        save=lambda data: meetings.add_action_item(
            meeting=meeting,
            actor=request.user,
            agency=data["agency"],
            description=data["description"],
            due_on=data["due_on"],
        ),
        done=meeting,
        success=_("Action item assigned."),
        heading=_("Assign an action item: %(name)s") % {"name": meeting},
        cancel_url=meeting.get_absolute_url(),
    )


def _visible_item(user, pk) -> ActionItem:
    return get_object_or_404(ActionItem.objects.visible_to(user).select_related("meeting"), pk=pk)


@login_required
@require_POST
def action_item_progress(request, pk):
    item = _visible_item(request.user, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe the progress."))
        return redirect(item.meeting)
    try:
        meetings.report_progress(item=item, author=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Progress reported."))
    return redirect(item.meeting)


@login_required
@require_POST
def action_item_complete(request, pk):
    meetings.ensure_can_change_meetings(request.user)
    item = _visible_item(request.user, pk)
    try:
        meetings.complete_action_item(item=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Action item marked done."))
    return redirect(item.meeting)


@login_required
def schedule_update(request):
    meetings.ensure_can_change_meetings(request.user)
    form = ScheduleForm(request.POST or None, instance=Schedule.current())
    if request.method == "POST" and form.is_valid():
        try:
            meetings.save_schedule(schedule=form.instance, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Schedule settings saved."))
            return redirect("agencies:schedule-update")
    context = {"form": form}
    return render(request, "agencies/schedule_form.html", context)
