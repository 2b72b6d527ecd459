"""Support pages: subsidies and awards, land-support cases, the county summary and its
export. Views parse input and call the services and selectors."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils import timezone

from accounts.access import has_role, publishes_notices, records_land_support, records_subsidies
from accounts.choices import SecurityEventKind
from accounts.services import record_security_event
from anji_recycling.views import (
    HistoryView,
    ScopedDetailView,
    ScopedListView,
    ServiceCreateView,
    ServiceUpdateView,
    stored_file_response,
)
from anji_recycling.xlsx import xlsx_response
from sites.exports import user_scope
from sites.models import Operator

from . import exports, selectors, services
from .filters import LandSupportFilterSet, NoticeFilterSet, PublicityFilterSet, SubsidyFilterSet
from .forms import LandSupportForm, NoticeForm, PublicityForm, SubsidyForm
from .models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy


class SubsidyListView(ScopedListView):
    model = Subsidy
    filterset_class = SubsidyFilterSet
    template_name = "support/subsidy_list.html"

    def get_queryset(self):
        return selectors.subsidies_for_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = records_subsidies(self.request.user)
        return context


class SubsidyDetailView(ScopedDetailView):
    model = Subsidy
    select_related = (
        "operator",
        "operator__township",
        "project",
        "project__township",
        "granted_by",
        "recorded_by",
    )
    template_name = "support/subsidy_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = (
            Subsidy.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists()
        )
        return context


class SubsidyCreateView(ServiceCreateView):
    model = Subsidy
    form_class = SubsidyForm

    def has_permission(self):
        return records_subsidies(self.request.user)

    def get_initial(self):
        return {
            "operator": self.request.GET.get("operator"),
            "project": self.request.GET.get("project"),
        }

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return str(reverse_lazy("support:subsidy-list"))

    def save_with_service(self, *, obj, actor):
        return services.save_subsidy(subsidy=obj, actor=actor)


class SubsidyUpdateView(ServiceUpdateView):
    model = Subsidy
    form_class = SubsidyForm

    def save_with_service(self, *, obj, actor):
        return services.save_subsidy(subsidy=obj, actor=actor)


class SubsidyHistoryView(HistoryView):
    model = Subsidy


@login_required
def subsidy_evidence(request, pk):
    subsidy = get_object_or_404(
        Subsidy.objects.visible_to(request.user).exclude(evidence=""), pk=pk
    )
    return stored_file_response(subsidy.evidence)


class LandSupportListView(ScopedListView):
    model = LandSupportCase
    filterset_class = LandSupportFilterSet
    template_name = "support/land_list.html"

    def get_queryset(self):
        return selectors.land_cases_for_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = records_land_support(self.request.user)
        return context


class LandSupportDetailView(ScopedDetailView):
    model = LandSupportCase
    select_related = ("site", "site__township", "recorded_by")
    template_name = "support/land_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = (
            LandSupportCase.objects.editable_by(self.request.user)
            .filter(pk=self.object.pk)
            .exists()
        )
        return context


class LandSupportCreateView(ServiceCreateView):
    model = LandSupportCase
    form_class = LandSupportForm

    def has_permission(self):
        return records_land_support(self.request.user)

    def get_initial(self):
        return {"site": self.request.GET.get("site")}

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return str(reverse_lazy("support:land-list"))

    def save_with_service(self, *, obj, actor):
        return services.save_land_support(case=obj, actor=actor)


class LandSupportUpdateView(ServiceUpdateView):
    model = LandSupportCase
    form_class = LandSupportForm

    def save_with_service(self, *, obj, actor):
        return services.save_land_support(case=obj, actor=actor)


class LandSupportHistoryView(HistoryView):
    model = LandSupportCase


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def _summary_reader(request):
    if not has_role(request.user) or not request.user.has_perm("support.view_subsidy"):
        raise PermissionDenied


@login_required
def summary(request):
    _summary_reader(request)
    year = _year(request)
    rows = selectors.support_summary(user=request.user, year=year)
    return render(
        request,
        "support/summary.html",
        {
            "rows": rows,
            "year": year,
            "years": selectors.support_years(user=request.user),
            "total": sum(row["total_amount"] for row in rows),
        },
    )


@login_required
def summary_export(request):
    _summary_reader(request)
    year = _year(request)
    today = timezone.localdate()
    workbook = exports.build_summary_workbook(
        rows=selectors.support_summary(user=request.user, year=year),
        year=year,
        as_of=today,
        scope=user_scope(request.user),
    )
    filename = exports.summary_filename(as_of=today, year=year)
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    return xlsx_response(workbook, filename)


# The association's notices ----------------------------------------------------------------


class NoticeListView(ScopedListView):
    model = AssociationNotice
    filterset_class = NoticeFilterSet
    template_name = "support/notice_list.html"

    def get_queryset(self):
        return selectors.notices_for_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = publishes_notices(self.request.user)
        return context


class NoticeDetailView(ScopedDetailView):
    model = AssociationNotice
    select_related = ("published_by",)
    template_name = "support/notice_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["operators"] = (
            Operator.objects.visible_to(self.request.user)
            .filter(association_notices=self.object)
            .select_related("township")[:200]
        )
        context["recipients"] = selectors.notice_recipients(
            notice=self.object, user=self.request.user
        )
        return context


class NoticeCreateView(ServiceCreateView):
    model = AssociationNotice
    form_class = NoticeForm

    def has_permission(self):
        return publishes_notices(self.request.user)

    def get_initial(self):
        return {
            "operators": self.request.GET.getlist("operators"),
            "published_on": timezone.localdate(),
        }

    def get_cancel_url(self):
        return str(reverse_lazy("support:notice-list"))

    def get_success_url(self):
        return self.object.get_absolute_url()

    def form_valid(self, form):
        form.instance._operators = list(form.cleaned_data["operators"])
        return super().form_valid(form)

    def save_with_service(self, *, obj, actor):
        return services.publish_notice(notice=obj, operators=obj._operators, actor=actor)


class NoticeHistoryView(HistoryView):
    model = AssociationNotice


# Publicity --------------------------------------------------------------------------------


class PublicityListView(ScopedListView):
    model = PublicityActivity
    filterset_class = PublicityFilterSet
    template_name = "support/publicity_list.html"

    def get_queryset(self):
        return selectors.publicity_for_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("support.add_publicityactivity")
        context["by_township"] = selectors.publicity_by_township(user=self.request.user)
        return context


class PublicityDetailView(ScopedDetailView):
    model = PublicityActivity
    select_related = ("township", "agency", "entered_by")
    template_name = "support/publicity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = (
            PublicityActivity.objects.editable_by(self.request.user)
            .filter(pk=self.object.pk)
            .exists()
        )
        return context


class PublicityCreateView(ServiceCreateView):
    model = PublicityActivity
    form_class = PublicityForm
    permission_required = "support.add_publicityactivity"

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return str(reverse_lazy("support:publicity-list"))

    def save_with_service(self, *, obj, actor):
        return services.record_publicity(activity=obj, actor=actor)


class PublicityUpdateView(ServiceUpdateView):
    model = PublicityActivity
    form_class = PublicityForm

    def save_with_service(self, *, obj, actor):
        return services.record_publicity(activity=obj, actor=actor)


class PublicityHistoryView(HistoryView):
    model = PublicityActivity


@login_required
def publicity_photo(request, pk):
    with_photo = PublicityActivity.objects.visible_to(request.user).exclude(photo="")
    return stored_file_response(get_object_or_404(with_photo, pk=pk).photo)
