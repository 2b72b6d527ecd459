"""Forms check shape; the services and models check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import is_county_admin
from anji_recycling.forms import Form, ModelForm

from .models import (
    Agency,
    AgencyDuty,
    DutyRule,
    HolidayArrangement,
    LeadingGroupMembership,
    ProblemCategory,
    Township,
    TownshipPopulation,
    Village,
)


class UserFormMixin:
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class TownshipForm(UserFormMixin, ModelForm):
    class Meta:
        model = Township
        fields = ["name", "kind", "latitude", "longitude"]


class TownshipPopulationForm(UserFormMixin, ModelForm):
    class Meta:
        model = TownshipPopulation
        fields = ["year", "population", "source"]


class VillageForm(UserFormMixin, ModelForm):
    class Meta:
        model = Village
        fields = [
            "code",
            "name",
            "short_name",
            "township",
            "kind",
            "urban_rural_code",
            "latitude",
            "longitude",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_county_admin(self.user):
            # Township officers correct their own villages; codes and townships are the
            # commerce bureau's to change.
            for name in ["code", "township", "is_active"]:
                self.fields[name].disabled = True


class AgencyForm(UserFormMixin, ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "sort_order"]


class AgencyDutyForm(UserFormMixin, ModelForm):
    class Meta:
        model = AgencyDuty
        fields = ["text", "sort_order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class ProblemCategoryForm(UserFormMixin, ModelForm):
    class Meta:
        model = ProblemCategory
        fields = ["code", "name", "examples", "sort_order", "is_active"]


class DutyRuleForm(UserFormMixin, ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"), max_length=100, required=False
    )

    class Meta:
        model = DutyRule
        fields = [
            "category",
            "area",
            "lead_kind",
            "lead_agency",
            "register_days",
            "dispatch_days",
            "handle_days",
            "verify_days",
            "note",
            "is_active",
        ]


class MembershipForm(UserFormMixin, ModelForm):
    class Meta:
        model = LeadingGroupMembership
        fields = ["person_name", "job_title", "phone", "start_date", "end_date", "note"]


class HolidayArrangementForm(UserFormMixin, ModelForm):
    class Meta:
        model = HolidayArrangement
        fields = ["day", "kind", "name", "notice_number"]
        widgets = {"kind": forms.RadioSelect}


class CalendarYearCompleteForm(Form):
    notice_number = forms.CharField(
        label=_("Notice number"),
        max_length=60,
        help_text=_("The notice's document number (文号), e.g. 国办发明电〔2026〕7号."),
    )


class CalendarYearReopenForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
