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


class YearFilter(django_filters.NumberFilter):
    """A calendar year (2000-2099, the years the portal holds) of a date field: `field_name`
    is the date; anything else is refused with the form's Chinese message, never a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, field_name, **kwargs):
        kwargs.setdefault("label", _("year"))
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2099)
        super().__init__(*args, field_name=field_name, lookup_expr="year", **kwargs)


class SearchSelect(forms.Select):
    """A choice among many rows (operators: tens of thousands at province scale) that renders
    only the empty choice and the chosen row, so the page does not grow with the data; portal.js
    adds a search field that fills the list as one types, from the API list at `search_url`
    (`?q=`, scoped like every API list). The filter still validates against its whole scoped
    queryset."""

    def __init__(self, *, search_url, attrs=None):
        self.search_url = search_url
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-search-url"] = str(self.search_url)
        context["widget"]["attrs"]["data-search-placeholder"] = str(_("Type to search"))
        return context

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if str(v).isdigit()]
        queryset = self.choices.queryset
        rows = [] if not chosen else queryset.filter(pk__in=chosen)
        options = [self.create_option(name, "", self.choices.field.empty_label or "", False, 0)]
        for index, row in enumerate(rows, start=1):
            options.append(
                self.create_option(
                    name, str(row.pk), self.choices.field.label_from_instance(row), True, index
                )
            )
        return [(None, options, 0)]


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


def offered_choices(model, user):
    """The rows of `model` a list filter may offer `user` (its queryset's `offered_to`), or
    None when the model is not scoped or the user is offered all of it."""
    offered_to = getattr(model.objects, "offered_to", None)
    if offered_to is None:
        return None
    offered = offered_to(user)
    if not offered.query.where and not offered.query.is_empty():
        return None
    return offered


class ScopedChoicesMixin:
    """A FilterSet whose row choices (townships, villages, operators, sites, projects, ...) are
    only the rows the user may be offered: every model choice is narrowed to its model's
    `offered_to(user)` (what they may see; a township's staff only their township), keeping the
    filter's own conditions (current villages, receiving sites), so the dropdown, the
    search-as-you-type list and the chosen value shown back (`?operator=<id>`) never name a row
    outside the user's scope. Every FilterSet of the portal is one (ScopedFilterSet).

    `county_wide_choices` names the filters whose choices stay the county's on purpose (the
    published ranking lists every township)."""

    county_wide_choices: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None:
            return
        for name, filter_ in self.filters.items():
            queryset = getattr(filter_, "queryset", None)
            if name in self.county_wide_choices or queryset is None or callable(queryset):
                continue
            offered = offered_choices(queryset.model, user)
            if offered is not None:
                filter_.queryset = queryset.filter(pk__in=offered.values("pk"))


class ScopedFilterSet(ScopedChoicesMixin, django_filters.FilterSet):
    """The portal's FilterSet: its row choices are the user's (ScopedChoicesMixin)."""
