"""Forms for the case page's actions. They check shape; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from anji_recycling.forms import BoundedModelMultipleChoiceField, Form, ModelForm
from anji_recycling.validators import validate_attachment

from .bulk import CASE_BULK_ACTIONS, MAX_ROWS
from .choices import CaseAction, EnforcementKind, RequestKind
from .forms import MultipleFileField
from .models import Case, EnforcementAction


class CaseActionForm(Form):
    action = forms.ChoiceField(choices=CaseAction.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = MultipleFileField(
        label=_("Photos or PDF documents"), required=False, validators=[]
    )

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        for upload in files:
            validate_attachment(upload)
        return files


class RerouteForm(Form):
    lead_agency = forms.ModelChoiceField(
        label=_("New lead agency"),
        queryset=Agency.objects.all(),
        required=False,
        empty_label=_("The site's township leads"),
    )
    previous_lead_assists = forms.BooleanField(
        label=_("The previous lead agency assists"), required=False
    )
    comment = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class JointInspectionForm(Form):
    """The day of the joint inspection (联合检查) and what to bring."""

    on = forms.DateField(label=_("Joint inspection date"))
    note = forms.CharField(label=_("What to bring or check"), required=False)


class AssistingForm(Form):
    """An agency of the joint action (to add, remove or waive its part), with the reason."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.order_by("code"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class TimeRequestForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RequestKind.choices)
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=180)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )
    comment = forms.CharField(label=_("Comment"), required=False)


class EnforcementForm(ModelForm):
    kind = forms.ChoiceField(label=_("Measure"), choices=EnforcementKind.choices)

    class Meta:
        model = EnforcementAction
        fields = [
            "kind",
            "category",
            "decided_on",
            "document_number",
            "rectify_by",
            "fine_amount",
            "referred_to",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "category": _(
                "An assisting agency names a problem within its duties (the duty table); "
                "the lead's measure addresses the case's problem when left empty."
            )
        }


class BulkCaseActionForm(Form):
    """The case list's ticked cases and the move to make on each (inspections.bulk)."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[(a, CaseAction(a).label) for a in CASE_BULK_ACTIONS]
    )
    cases = BoundedModelMultipleChoiceField(
        label=_("Cases"),
        queryset=Case.objects.none(),
        max_count=MAX_ROWS,
        error_messages={
            "required": _("Tick the cases first."),
            "invalid_choice": _("Case %(value)s is not one of yours (or no longer exists)."),
            "invalid_pk_value": _("“%(pk)s” is not a case."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = Case.objects.visible_to(user).select_related("township")
