"""One FilterSet per model, shared by the lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agencies.models import Township

from .choices import LandDecision, SubsidyKind
from .models import LandSupportCase, Subsidy


class SubsidyFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=SubsidyKind.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("township"), field_name="operator__township", queryset=Township.objects.all()
    )
    year = django_filters.NumberFilter(label=_("year"), field_name="granted_on__year")

    class Meta:
        model = Subsidy
        fields = ["kind", "township", "year", "operator"]


class LandSupportFilterSet(django_filters.FilterSet):
    decision = django_filters.ChoiceFilter(label=_("decision"), choices=LandDecision.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("township"), field_name="site__township", queryset=Township.objects.all()
    )
    year = django_filters.NumberFilter(label=_("year"), field_name="requested_on__year")

    class Meta:
        model = LandSupportCase
        fields = ["decision", "township", "year", "site"]
