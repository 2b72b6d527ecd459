"""Forms for joint meetings, action items and the schedule settings: they check shape; the
services in meetings.py check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import people_with_a_role
from anji_recycling.forms import Form, ModelForm

from .models import ActionItem, Agency, Meeting, Schedule


class MeetingForm(ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "starts_at",
            "place",
            "convener",
            "agenda",
            "invited_agencies",
            "invitees",
            "recurrence",
        ]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "invited_agencies": forms.CheckboxSelectMultiple(),
        }
        help_texts = {"starts_at": _("Beijing time (Asia/Shanghai).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_agencies"].queryset = Agency.objects.all()
        self.fields["invitees"].queryset = people_with_a_role()
        # An invitee who has left since stays invited when the meeting is edited.
        self.offer_current_choices("invitees")
        self.fields["invitees"].required = False
        self.fields["invited_agencies"].required = False


class CancelMeetingForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=100, required=False)


class RecordMeetingForm(Form):
    present_agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies present"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(
        label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present_agencies"].queryset = meeting.invited_agencies.all()
        # Recording a meeting again starts from what was recorded, so that correcting the
        # minutes does not mark every agency absent.
        present = meeting.attendance.filter(agency__isnull=False, present=True)
        self.initial = {
            "present_agencies": list(present.values_list("agency_id", flat=True)),
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
            **self.initial,
        }


class ActionItemForm(ModelForm):
    class Meta:
        model = ActionItem
        fields = ["agency", "description", "due_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ProgressForm(Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(ModelForm):
    class Meta:
        model = Schedule
        fields = [
            "meeting_reminder_days",
            "meeting_morning_hour",
            "action_item_reminder_days",
            "escalation_delay_days",
            "licence_reminder_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_morning_hour"].widget.attrs["max"] = 23
        self.fields["action_item_reminder_days"].widget.attrs["min"] = 1

    def clean_meeting_morning_hour(self):
        hour = self.cleaned_data["meeting_morning_hour"]
        if hour > 23:
            raise forms.ValidationError(_("Choose an hour from 0 to 23."))
        return hour

    def clean_action_item_reminder_days(self):
        days = self.cleaned_data["action_item_reminder_days"]
        if days < 1:
            raise forms.ValidationError(_("Remind again after at least one day."))
        return days
