"""The network-building pages: projects (list, page, form, stage action, photos, export), the
progress towards the target year, and the placement suggestions with their map and workbook."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import has_role, reads_network, township_scope
from accounts.choices import SecurityEventKind
from accounts.services import record_security_event
from agencies.models import Township
from anji_recycling.views import (
    HistoryView,
    ScopedDetailView,
    ScopedListView,
    ServiceCreateView,
    ServiceUpdateView,
    report_error,
    report_form_errors,
    stored_file_response,
)
from anji_recycling.xlsx import xlsx_response
from sites.exports import user_scope

from . import exports, policy, selectors, services
from .choices import STAGE_DATES, ProjectAction, ProjectStage, next_stage
from .filters import ProjectFilterSet
from .forms import AdvanceForm, ProjectForm, ProjectPhotoForm, SuggestionForm
from .models import NetworkProject, ProjectPhoto


def _require_role(request):
    if not has_role(request.user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))
    if not reads_network(request.user):
        raise PermissionDenied(_("The network-building projects are not open to your role."))


def _scope_township(user):
    return user.township if township_scope(user) is not None else None


class ProjectListView(ScopedListView):
    model = NetworkProject
    filterset_class = ProjectFilterSet
    template_name = "network/project_list.html"

    def get_queryset(self):
        _require_role(self.request)
        return selectors.projects_for_list(user=self.request.user).order_by(
            "township__code", "target_year", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["can_register"] = policy.may_register_projects(self.request.user)
        context["scope_township"] = _scope_township(self.request.user)
        context["rows"] = [
            (project, selectors.late_stages(project, today=today))
            for project in context["object_list"]
        ]
        return context


@login_required
def project_export(request):
    """The projects the list shows with the same filters, as .xlsx."""
    _require_role(request)
    today = timezone.localdate()
    queryset = exports.project_queryset(user=request.user, params=request.GET, request=request)
    filename = exports.project_filename(as_of=today)
    workbook = exports.build_project_workbook(
        queryset=queryset, today=today, scope=user_scope(request.user)
    )
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    return xlsx_response(workbook, filename)


class ProjectDetailView(ScopedDetailView):
    model = NetworkProject
    template_name = "network/project_detail.html"
    select_related = ("township", "village", "site", "operator", "parent", "registered_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        allowed = policy.PROJECT_POLICY.allowed_actions(project, self.request.user)
        stage = next_stage(project.stage)
        context.update(
            {
                "allowed": allowed,
                "can_change": ProjectAction.CHANGE in allowed,
                "can_advance": ProjectAction.ADVANCE in allowed,
                "can_add_photo": ProjectAction.ADD_PHOTO in allowed,
                "next_stage": stage,
                "advance_form": AdvanceForm(initial={"on": timezone.localdate()}),
                "photo_form": ProjectPhotoForm(),
                "timeline": selectors.project_timeline(project=project),
                "photos": selectors.project_photos(project=project),
                "late_stages": selectors.late_stages(project, today=timezone.localdate()),
                "stages": _stage_rows(project),
            }
        )
        return context


def _stage_rows(project):
    return [
        {
            "stage": stage,
            "label": ProjectStage(stage).label,
            "on": getattr(project, actual),
            "planned": getattr(project, planned) if planned else None,
        }
        for stage, (actual, planned) in STAGE_DATES.items()
    ]


class ProjectCreateView(ServiceCreateView):
    model = NetworkProject
    form_class = ProjectForm
    permission_required = "network.add_networkproject"
    template_name = "sites/site_form.html"

    def get_initial(self):
        return {
            "planned_on": timezone.localdate(),
            "target_year": services.default_target_year(),
        }

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return str(reverse_lazy("network:project-list"))

    def save_with_service(self, *, obj, actor):
        return services.register_project(project=obj, actor=actor)


class ProjectUpdateView(ServiceUpdateView):
    model = NetworkProject
    form_class = ProjectForm
    template_name = "sites/site_form.html"
    select_related = ("township",)

    def save_with_service(self, *, obj, actor):
        return services.update_project(project=obj, actor=actor)


class ProjectHistoryView(HistoryView):
    model = NetworkProject


def _visible_project(request, pk):
    _require_role(request)
    return get_object_or_404(NetworkProject.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def project_advance(request, pk):
    project = _visible_project(request, pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(project)
    try:
        project = services.advance_project(
            project=project,
            actor=request.user,
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(
            request, _("The project is now %(stage)s.") % {"stage": project.get_stage_display()}
        )
    return redirect(project)


@login_required
@require_POST
def project_photo_add(request, pk):
    project = _visible_project(request, pk)
    form = ProjectPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(project)
    try:
        services.add_project_photo(
            project=project,
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("Photo added."))
    return redirect(project)


@login_required
def project_photo_file(request, pk):
    """A project photo, for users who may see the project."""
    photo = get_object_or_404(ProjectPhoto.objects.visible_to(request.user), pk=pk)
    return stored_file_response(photo.image)


# Progress towards the target year ------------------------------------------------------------


def _target_year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return services.default_target_year()
    return year if 2020 <= year <= 2100 else services.default_target_year()


@login_required
def progress(request, township_pk=None):
    """The county's (or one township's) progress towards the target year."""
    _require_role(request)
    user = request.user
    township = None
    if township_pk is not None:
        township = get_object_or_404(Township.objects.in_territory_of(user), pk=township_pk)
    elif township_scope(user) is not None:
        township = user.township
    year = _target_year(request)
    report = selectors.network_progress(user=user, target_year=year, township=township)
    late = selectors.late_projects(user=user)
    if township is not None:
        late = late.filter(township=township)
    context = {
        "report": report,
        "township": township,
        "late_projects": late.order_by("township__code", "pk")[:50],
        "can_register": policy.may_register_projects(user),
    }
    return render(request, "network/progress.html", context)


# Placement suggestions ----------------------------------------------------------------------


def suggestion_query(request):
    """The township and radius asked for (the page's form, the API's query), or the defaults."""
    form = SuggestionForm(request.GET or None, user=request.user)
    township, radius = None, Decimal(str(settings.NETWORK_PLACEMENT_RADIUS_KM))
    if form.is_bound and form.is_valid():
        township = form.cleaned_data["township"]
        radius = form.cleaned_data["radius"] or radius
    elif form.is_bound:
        report_form_errors(request, form)
    return form, township, float(radius)


@login_required
def suggestions(request):
    _require_role(request)
    form, township, radius = suggestion_query(request)
    report = selectors.placement_suggestions(user=request.user, radius_km=radius, township=township)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "report": report,
        "radius": radius,
        "query": query,
        "can_adopt": policy.may_register_projects(request.user),
        "scope_township": _scope_township(request.user),
    }
    return render(request, "network/suggestions.html", context)


@login_required
def suggestion_export(request):
    _require_role(request)
    _form, township, radius = suggestion_query(request)
    report = selectors.placement_suggestions(user=request.user, radius_km=radius, township=township)
    filename = exports.suggestion_filename(as_of=timezone.localdate())
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    # A township officer's file names their own township, whichever one they asked for.
    scope = township.name if township and township_scope(request.user) is None else None
    scope = scope or user_scope(request.user)
    return xlsx_response(exports.build_suggestion_workbook(report=report, scope=scope), filename)


@login_required
@require_POST
def suggestion_adopt(request):
    """A suggestion becomes a project in one step (then the officer completes its data)."""
    _require_role(request)
    village_ids = request.POST.getlist("village")
    try:
        radius = float(request.POST.get("radius") or settings.NETWORK_PLACEMENT_RADIUS_KM)
    except ValueError:
        radius = settings.NETWORK_PLACEMENT_RADIUS_KM
    report = selectors.placement_suggestions(user=request.user, radius_km=radius)
    cluster = selectors.find_cluster(report, village_ids) if village_ids else None
    if cluster is None:
        messages.error(request, _("This suggestion no longer stands: look at the list again."))
        return redirect(reverse("network:suggestions"))
    try:
        project = services.adopt_suggestion(cluster=cluster, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
        return redirect(reverse("network:suggestions"))
    messages.success(request, _("Project registered: complete its data."))
    return redirect(reverse("network:project-update", args=[project.pk]))
