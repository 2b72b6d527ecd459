"""Forms of the joint inspection (the officers present, on the report form) and of the joint
action on a site. They check shape; inspections/joint.py checks the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import AGENCY_ROLES
from accounts.models import User
from agencies.models import Agency
from anji_recycling.forms import DateInput, Form


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.agency.name} · {obj}"


def present_officers_field() -> OfficerChoiceField:
    """Every active agency officer, by agency: those present at a joint inspection."""
    officers = (
        User.objects.filter(is_active=True, role__in=AGENCY_ROLES)
        .exclude(agency=None)
        .select_related("agency")
        .order_by("agency__sort_order", "agency__code", "pk")
    )
    return OfficerChoiceField(
        label=_("Agencies' officers present (joint inspection)"),
        queryset=officers,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "officer-choices"}),
        help_text=_(
            "Tick the officers of each agency that inspects the site with you: the report then "
            "counts for every agency present, and each problem goes to the agency whose duty "
            "covers it."
        ),
    )


def offer_present_officers(form) -> None:
    form.fields["present_officers"] = present_officers_field()


def _agencies():
    return Agency.objects.order_by("sort_order", "code")


class AssembleForm(Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    joint_inspection_on = forms.DateField(
        label=_("Joint inspection date"), required=False, widget=DateInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = _agencies()


class JointAgencyForm(Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()


class JointDateForm(Form):
    on = forms.DateField(label=_("Joint inspection date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class CloseJointActionForm(Form):
    note = forms.CharField(label=_("What was done"), max_length=2000)
