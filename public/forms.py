from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import ProblemCategory, Township
from anji_recycling.forms import Form, Textarea
from anji_recycling.validators import validate_phone
from inspections.forms import MultipleFileField, MultipleFileInput

from . import challenge
from .choices import ReportKind


class PublicReportForm(Form):
    """A resident's report: what, where, which township, and optionally a phone."""

    kind = forms.ChoiceField(label=_("What is reported"), choices=ReportKind.choices)
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Township.objects.order_by("code"), empty_label=None
    )
    category = forms.ModelChoiceField(
        label=_("Problem"),
        queryset=ProblemCategory.objects.filter(is_active=True).order_by("sort_order"),
        empty_label=None,
    )
    place = forms.CharField(label=_("Where"), max_length=200)
    description = forms.CharField(label=_("What you saw"), max_length=1000, widget=Textarea)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6,
        widget=forms.HiddenInput,
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6,
        widget=forms.HiddenInput,
    )  # fmt: skip
    phone = forms.CharField(
        label=_("Phone (optional)"), max_length=20, required=False, validators=[validate_phone]
    )
    photos = MultipleFileField(
        label=_("Photos (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("Up to 3 photos, JPEG, PNG or WebP, at most 10 MB each."),
    )
    challenge_answer = forms.IntegerField(label=_("Your answer"), min_value=0, max_value=99)
    site = forms.IntegerField(required=False, widget=forms.HiddenInput)
    challenge = forms.CharField(widget=forms.HiddenInput, max_length=300)

    def __init__(self, *args, question: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge_answer"].label = _("To show you are a person: %(sum)s =") % {
            "sum": question
        }

    def clean(self):
        data = super().clean()
        if "challenge_answer" in data and not challenge.passes(
            token=data.get("challenge", ""), answer=data["challenge_answer"]
        ):
            self.add_error(
                "challenge_answer", _("The sum is not right, or the form is too old: try again.")
            )
        return data
