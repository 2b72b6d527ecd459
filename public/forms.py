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
    # A text field that opens the digit keyboard: an <input type=number> scrolls itself into view
    # on pointer-down in mobile Chromium, which moved the page under the resident's finger and
    # made the tap on 提交 miss. The answer is checked here (digits only, 0-99).
    challenge_answer = forms.CharField(
        label=_("Your answer"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"}
        ),
    )
    site = forms.IntegerField(required=False, widget=forms.HiddenInput)
    challenge = forms.CharField(widget=forms.HiddenInput, max_length=300)

    def __init__(self, *args, question: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge_answer"].label = _("To show you are a person: %(sum)s =") % {
            "sum": question
        }

    def clean_challenge_answer(self) -> int:
        answer = self.cleaned_data["challenge_answer"].strip()
        if not answer.isascii() or not answer.isdigit() or len(answer) > 2:
            raise forms.ValidationError(_("Enter the sum as digits."), code="invalid")
        return int(answer)

    def clean(self):
        data = super().clean()
        if "challenge_answer" in data and not challenge.passes(
            token=data.get("challenge", ""), answer=data["challenge_answer"]
        ):
            self.add_error(
                "challenge_answer", _("The sum is not right, or the form is too old: try again.")
            )
        return data
