"""Portal pages for the organisation: townships, villages, agencies, duty table, leading group."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import has_role, is_county_admin
from accounts.choices import SecurityEventKind
from accounts.services import record_security_event
from anji_recycling.views import (
    HistoryView,
    ScopedDetailView,
    ScopedListView,
    ServiceCreateView,
    ServiceUpdateView,
)
from anji_recycling.xlsx import xlsx_response

from . import exports, selectors, services
from .filters import DutyRuleFilterSet, VillageFilterSet
from .forms import (
    AgencyDutyForm,
    AgencyForm,
    DutyRuleForm,
    MembershipForm,
    ProblemCategoryForm,
    TownshipForm,
    TownshipPopulationForm,
    VillageForm,
)
from .models import (
    Agency,
    AgencyDuty,
    DutyRule,
    LeadingGroupMembership,
    LeadingGroupPost,
    ProblemCategory,
    Township,
    TownshipPopulation,
    Village,
)


@login_required
def township_list(request):
    townships = selectors.townships_with_village_counts(user=request.user)
    return render(request, "agencies/township_list.html", {"townships": townships})


class TownshipDetailView(ScopedDetailView):
    model = Township
    template_name = "agencies/township_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["villages"] = Village.objects.visible_to(user).filter(township=self.object)
        context["populations"] = TownshipPopulation.objects.visible_to(user).filter(
            township=self.object
        )
        context["can_enter_population"] = user.has_perm("agencies.add_townshippopulation")
        return context


class TownshipUpdateView(ServiceUpdateView):
    model = Township
    form_class = TownshipForm

    def save_with_service(self, *, obj, actor):
        return services.save_township(township=obj, actor=actor)


class TownshipPopulationCreateView(ServiceCreateView):
    """The commerce bureau enters a township's population for a year (人口, 年份, 出处)."""

    model = TownshipPopulation
    form_class = TownshipPopulationForm
    permission_required = "agencies.add_townshippopulation"

    def dispatch(self, request, *args, **kwargs):
        self.township = get_object_or_404(
            Township.objects.visible_to(request.user), pk=kwargs["township_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.instance.township = self.township
        return form

    def get_context_data(self, **kwargs):
        heading = _("Population of %(township)s") % {"township": self.township}
        return super().get_context_data(heading=heading, **kwargs)

    def get_cancel_url(self):
        return self.township.get_absolute_url()

    def save_with_service(self, *, obj, actor):
        return services.save_township_population(population=obj, actor=actor)


class TownshipPopulationUpdateView(ServiceUpdateView):
    model = TownshipPopulation
    form_class = TownshipPopulationForm
    select_related = ("township",)

    def save_with_service(self, *, obj, actor):
        return services.save_township_population(population=obj, actor=actor)


class TownshipPopulationHistoryView(HistoryView):
    model = TownshipPopulation


class VillageListView(ScopedListView):
    model = Village
    filterset_class = VillageFilterSet
    select_related = ("township",)
    template_name = "agencies/village_list.html"


@login_required
def village_data_quality(request):
    villages = selectors.villages_missing_urban_rural_code(user=request.user)
    return render(request, "agencies/village_data_quality.html", {"villages": villages})


class VillageUpdateView(ServiceUpdateView):
    model = Village
    form_class = VillageForm
    select_related = ("township",)
    success_url = reverse_lazy("agencies:village-list")

    def save_with_service(self, *, obj, actor):
        return services.save_village(village=obj, actor=actor)


class VillageCreateView(ServiceCreateView):
    model = Village
    form_class = VillageForm
    permission_required = "agencies.add_village"
    success_url = reverse_lazy("agencies:village-list")

    def save_with_service(self, *, obj, actor):
        return services.save_village(village=obj, actor=actor)


@login_required
def agency_list(request):
    agencies = selectors.agencies_with_duties(user=request.user)
    townships_duties = AgencyDuty.objects.visible_to(request.user).filter(for_townships=True)
    context = {"agencies": agencies, "township_duties": townships_duties}
    return render(request, "agencies/agency_list.html", context)


class AgencyDetailView(ScopedDetailView):
    model = Agency
    template_name = "agencies/agency_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["duties"] = self.object.duties.all()
        context["rules"] = selectors.duty_table(user=self.request.user).filter(
            lead_agency=self.object, is_active=True
        )
        return context


class AgencyUpdateView(ServiceUpdateView):
    model = Agency
    form_class = AgencyForm

    def save_with_service(self, *, obj, actor):
        return services.save_agency(agency=obj, actor=actor)


class AgencyDutyUpdateView(ServiceUpdateView):
    model = AgencyDuty
    form_class = AgencyDutyForm
    select_related = ("agency",)
    success_url = reverse_lazy("agencies:agency-list")

    def save_with_service(self, *, obj, actor):
        return services.save_agency_duty(duty=obj, actor=actor)


class DutyRuleListView(ScopedListView):
    model = DutyRule
    filterset_class = DutyRuleFilterSet
    select_related = ("category", "lead_agency")
    template_name = "agencies/dutyrule_list.html"
    paginate_by = 100

    def get_queryset(self):
        return selectors.duty_table(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["categories"] = ProblemCategory.objects.visible_to(self.request.user)
        context["can_edit"] = is_county_admin(self.request.user)
        return context


class DutyRuleFormMixin:
    model = DutyRule
    form_class = DutyRuleForm
    success_url = reverse_lazy("agencies:dutyrule-list")

    def save_with_service(self, *, obj, actor):
        reason = self.request.POST.get("change_reason", "")
        return services.save_duty_rule(rule=obj, actor=actor, reason=reason)


class DutyRuleCreateView(DutyRuleFormMixin, ServiceCreateView):
    permission_required = "agencies.add_dutyrule"


class DutyRuleUpdateView(DutyRuleFormMixin, ServiceUpdateView):
    pass


class DutyRuleHistoryView(HistoryView):
    model = DutyRule

    def get_back_url(self):
        return reverse("agencies:dutyrule-list")


class ProblemCategoryCreateView(ServiceCreateView):
    model = ProblemCategory
    form_class = ProblemCategoryForm
    permission_required = "agencies.add_problemcategory"
    success_url = reverse_lazy("agencies:dutyrule-list")

    def save_with_service(self, *, obj, actor):
        return services.save_problem_category(category=obj, actor=actor)


class ProblemCategoryUpdateView(ServiceUpdateView):
    model = ProblemCategory
    form_class = ProblemCategoryForm
    success_url = reverse_lazy("agencies:dutyrule-list")

    def save_with_service(self, *, obj, actor):
        return services.save_problem_category(category=obj, actor=actor)


@login_required
def leading_group(request):
    if not has_role(request.user):
        raise PermissionDenied
    as_of = timezone.localdate()
    context = {
        "posts": selectors.leading_group_roster(user=request.user, as_of=as_of),
        "as_of": as_of,
        "can_edit": is_county_admin(request.user),
    }
    return render(request, "agencies/leading_group.html", context)


class MembershipCreateView(ServiceCreateView):
    """Appoint a person to a post."""

    model = LeadingGroupMembership
    form_class = MembershipForm
    permission_required = "agencies.add_leadinggroupmembership"
    success_url = reverse_lazy("agencies:leading-group")

    def dispatch(self, request, *args, **kwargs):
        self.post_obj = get_object_or_404(
            LeadingGroupPost.objects.visible_to(request.user), pk=kwargs["post_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = LeadingGroupMembership(post=self.post_obj)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Appoint to %(post)s") % {"post": self.post_obj}
        return context

    def save_with_service(self, *, obj, actor):
        return services.save_membership(membership=obj, actor=actor)


class MembershipUpdateView(ServiceUpdateView):
    model = LeadingGroupMembership
    form_class = MembershipForm
    select_related = ("post",)
    success_url = reverse_lazy("agencies:leading-group")

    def save_with_service(self, *, obj, actor):
        return services.save_membership(membership=obj, actor=actor)


@login_required
def leading_group_export(request):
    if not has_role(request.user):
        raise PermissionDenied
    as_of = timezone.localdate()
    workbook = exports.build_roster_workbook(user=request.user, as_of=as_of)
    filename = exports.roster_filename(as_of=as_of)
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    return xlsx_response(workbook, filename)
