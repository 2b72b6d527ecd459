"""One FilterSet per model, shared by the lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agencies.models import Township
from anji_recycling.filters import YearFilter

from .choices import LandDecision, NoticeKind, PublicityForm, SubsidyKind
from .models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy


class SubsidyFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=SubsidyKind.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("township"), field_name="operator__township", queryset=Township.objects.all()
    )
    year = YearFilter(field_name="granted_on")

    class Meta:
        model = Subsidy
        fields = ["kind", "township", "year", "operator"]


class LandSupportFilterSet(django_filters.FilterSet):
    decision = django_filters.ChoiceFilter(label=_("decision"), choices=LandDecision.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("township"), field_name="site__township", queryset=Township.objects.all()
    )
    year = YearFilter(field_name="requested_on")

    class Meta:
        model = LandSupportCase
        fields = ["decision", "township", "year", "site"]


class NoticeFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=NoticeKind.choices)
    year = YearFilter(field_name="published_on")

    class Meta:
        model = AssociationNotice
        fields = ["kind", "year"]


class PublicityFilterSet(django_filters.FilterSet):
    form = django_filters.ChoiceFilter(label=_("form"), choices=PublicityForm.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("township"), queryset=Township.objects.all()
    )
    year = YearFilter(field_name="held_on")

    class Meta:
        model = PublicityActivity
        fields = ["form", "township", "year"]
