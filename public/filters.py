import django_filters
from django.utils.translation import gettext_lazy as _

from anji_recycling.filters import ScopedFilterSet

from .choices import ReportKind, ReportState
from .models import PublicReport


class PublicReportFilterSet(ScopedFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=ReportState.choices)
    kind = django_filters.ChoiceFilter(label=_("What is reported"), choices=ReportKind.choices)

    class Meta:
        model = PublicReport
        fields = ["state", "kind"]
