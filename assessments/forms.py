"""Forms of the assessment pages. They check shape; the services check the rules and their
messages land on the form."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from agencies.models import Township
from anji_recycling.forms import Form, ModelForm
from inspections.forms import MultipleFileField, MultipleFileInput

from .choices import MANUAL_KINDS, IndicatorKind, PeriodKind
from .models import AssessmentScheme, Indicator

MAX_EVIDENCE_FILES = 9


class PeriodForm(Form):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=AssessmentScheme.objects.none())
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", "—"), *((n, n) for n in range(1, 5))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For a quarter only."),
    )

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeductionForm(Form):
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none())
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    points = forms.DecimalField(label=_("Points deducted"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(
        label=_("Evidence (photos or PDF documents)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Township.objects.order_by("code")
        self.fields["indicator"].queryset = period.scheme.indicators.filter(
            kind__in=MANUAL_KINDS
        ).order_by("sort_order")

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(
                _("At most %(count)s files per deduction."), params={"count": MAX_EVIDENCE_FILES}
            )
        return files


class ObjectionForm(Form):
    reason = forms.CharField(
        label=_("Reason for the objection"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept: the deduction becomes void")), ("0", _("Reject"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting."),
    )


class SchemeForm(ModelForm):
    class Meta:
        model = AssessmentScheme
        fields = ["code", "name", "total_points", "objection_days", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class IndicatorRowForm(Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The empty choice keeps the page's spare row empty until someone fills it in: with a
    # kind chosen by default, saving the page unchanged asked for the spare row's name.
    kind = forms.ChoiceField(label=_("Computed as"), choices=[("", "—"), *IndicatorKind.choices])
    name = forms.CharField(label=_("Name"), max_length=100)
    weight = forms.DecimalField(label=_("Weight"), max_digits=6, decimal_places=2, min_value=0)
    max_points = forms.DecimalField(label=_("Maximum points"), max_digits=6, decimal_places=2)
    points_per_item = forms.DecimalField(
        label=_("Deduction per item"), max_digits=6, decimal_places=2, required=False
    )
    description = forms.CharField(
        label=_("How it is scored"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BandRowForm(Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Grade"), max_length=20)
    min_score = forms.DecimalField(label=_("From score"), max_digits=6, decimal_places=2)


IndicatorFormSet = formset_factory(IndicatorRowForm, extra=1, can_delete=True)
BandFormSet = formset_factory(BandRowForm, extra=1, can_delete=True)
