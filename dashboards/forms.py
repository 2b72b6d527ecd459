from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anji_recycling.forms import Form

from .periods import Period


class PeriodForm(Form):
    """The period selector: a month (`2026-03`), a quarter (`2026-Q2`) or a year (`2026`)."""

    period = forms.CharField(label=_("Period"), required=False, max_length=7)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_period(self) -> Period | None:
        key = self.cleaned_data["period"]
        if not key:
            return None
        try:
            return Period.parse(key, today=self.today)
        except ValueError as error:
            raise ValidationError(
                _("Choose a month, quarter or year from the list."), code="invalid"
            ) from error
