"""FilterSets of the assessment (the API lists filter by period and township)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agencies.models import Township
from anji_recycling.filters import ScopedFilterSet

from .choices import DeductionState, PeriodKind, PeriodStatus
from .models import AssessmentPeriod, Deduction, IndicatorScore, Objection, TownshipResult


class PeriodFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Period"), choices=PeriodKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PeriodStatus.choices)

    class Meta:
        model = AssessmentPeriod
        fields = ["kind", "status", "year"]


class _PeriodTownshipFilterSet(ScopedFilterSet):
    period = django_filters.ModelChoiceFilter(
        label=_("Period"), queryset=AssessmentPeriod.objects.all()
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.all()
    )


class ResultFilterSet(_PeriodTownshipFilterSet):
    # A township reads every township's result in a published period (the county ranking).
    county_wide_choices = ("township",)

    class Meta:
        model = TownshipResult
        fields = ["period", "township"]


class ScoreFilterSet(_PeriodTownshipFilterSet):
    class Meta:
        model = IndicatorScore
        fields = ["period", "township", "indicator"]


class DeductionFilterSet(_PeriodTownshipFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=DeductionState.choices)

    class Meta:
        model = Deduction
        fields = ["period", "township", "state"]


class ObjectionFilterSet(ScopedFilterSet):
    class Meta:
        model = Objection
        fields = ["state", "deduction__period"]
