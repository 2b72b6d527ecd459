"""Filter pieces shared by every app's FilterSets."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class AnyYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "any" rather than "unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))

    def format_value(self, value):
        chosen = super().format_value(value)
        return [] if chosen == "unknown" else [chosen]


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNoSelect)
        super().__init__(*args, **kwargs)


def date_range_filters(field_name, *, from_label, until_label, on_datetime=False):
    """The pair of filters "from day … until day" on a date (or, `on_datetime`, a datetime's
    day), both inclusive and with the portal's ISO date picker."""
    from .forms import DateInput

    lookup = "date__" if on_datetime else ""
    return tuple(
        django_filters.DateFilter(
            label=label, field_name=field_name, lookup_expr=f"{lookup}{op}", widget=DateInput()
        )
        for label, op in ((from_label, "gte"), (until_label, "lte"))
    )


class TownshipChoicesMixin:
    """For a FilterSet with a `township` filter: offer only the townships the user works on
    (their own for township staff, every one otherwise), as the lists' scope already is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and "township" in self.filters:
            from agencies.models import Township

            self.filters["township"].queryset = Township.objects.in_territory_of(user)
