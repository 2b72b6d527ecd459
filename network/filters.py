"""One FilterSet for the projects, shared by the list page, the API and the export."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Township
from anji_recycling.filters import ScopedFilterSet, YesNoFilter

from .choices import LandStatus, ProjectKind, ProjectStage
from .models import NetworkProject
from .selectors import late_condition


class ProjectFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.all()
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProjectKind.choices)
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=ProjectStage.choices)
    land_status = django_filters.ChoiceFilter(label=_("Land"), choices=LandStatus.choices)
    target_year = django_filters.NumberFilter(label=_("Target year"))
    late = YesNoFilter(label=_("Late against the plan"), method="filter_late")

    class Meta:
        model = NetworkProject
        fields = ["q", "township", "kind", "stage", "land_status", "target_year", "late"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip()) if value.strip() else queryset

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        condition = late_condition(today=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
