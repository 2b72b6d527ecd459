"""One FilterSet per model, shared by the lists and the API."""

import django_filters
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agencies.models import Township
from anji_recycling.filters import ScopedFilterSet, SearchSelect, YearFilter
from network.models import NetworkProject
from sites.models import Operator, Site

from .choices import LandDecision, NoticeKind, PublicityForm, SubsidyKind
from .models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy


@extend_schema_field(OpenApiTypes.INT)
class RecipientTownshipFilter(django_filters.ModelChoiceFilter):
    """A township's id, matched against the grant's operator or network project."""


class SubsidyFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=SubsidyKind.choices)
    township = RecipientTownshipFilter(
        label=_("township"), queryset=Township.objects.all(), method="in_township"
    )
    year = YearFilter(field_name="granted_on")
    # Search-as-you-type over the scoped API lists: the page never lists the county's
    # operators or projects (another township's names stay out of a township's page).
    operator = django_filters.ModelChoiceFilter(
        label=_("Operator"),
        queryset=Operator.objects.all(),
        widget=SearchSelect(search_url=reverse_lazy("api:operator-list")),
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Network project"),
        queryset=NetworkProject.objects.all(),
        widget=SearchSelect(search_url=reverse_lazy("api:networkproject-list")),
    )

    class Meta:
        model = Subsidy
        fields = ["kind", "township", "year", "operator", "project"]

    def in_township(self, queryset, name, value):
        """The grants to the township's operators and to its network projects."""
        if not value:
            return queryset
        return queryset.filter(Q(operator__township=value) | Q(project__township=value))


class LandSupportFilterSet(ScopedFilterSet):
    decision = django_filters.ChoiceFilter(label=_("decision"), choices=LandDecision.choices)
    site = django_filters.ModelChoiceFilter(
        label=_("Site"),
        queryset=Site.objects.all(),
        widget=SearchSelect(search_url=reverse_lazy("api:site-list")),
    )
    township = django_filters.ModelChoiceFilter(
        label=_("township"), field_name="site__township", queryset=Township.objects.all()
    )
    year = YearFilter(field_name="requested_on")

    class Meta:
        model = LandSupportCase
        fields = ["decision", "township", "year", "site"]


class NoticeFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=NoticeKind.choices)
    year = YearFilter(field_name="published_on")

    class Meta:
        model = AssociationNotice
        fields = ["kind", "year"]


class PublicityFilterSet(ScopedFilterSet):
    form = django_filters.ChoiceFilter(label=_("form"), choices=PublicityForm.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("township"), queryset=Township.objects.all()
    )
    year = YearFilter(field_name="held_on")

    class Meta:
        model = PublicityActivity
        fields = ["form", "township", "year"]
