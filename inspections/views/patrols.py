"""Patrol pages: "my patrols" for grid workers and township officers, the commerce bureau's
patrol plans, and the per-township overview of overdue tasks. Views parse input and call the
services and selectors in inspections/patrols.py."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import (
    assigns_patrol_tasks,
    is_grid_worker,
    reads_grid_roster,
    township_scope,
)
from accounts.choices import SecurityEventKind
from accounts.models import User
from accounts.services import record_security_event
from anji_recycling.views import report_error, report_form_errors
from anji_recycling.xlsx import xlsx_response
from sites.exports import user_scope

from ..bulk import assign_patrol_tasks
from ..choices import PatrolTaskAction
from ..exports import build_grid_roster_workbook, grid_roster_filename
from ..forms import (
    AssignPatrolTaskForm,
    BulkAssignPatrolTasksForm,
    PatrolPlanForm,
    SiteSearchForm,
)
from ..models import PatrolPlan
from ..patrols import (
    assign_patrol_task,
    assignable_grid_workers,
    grid_sites_for_roster,
    grid_workers_for_roster,
    my_patrols,
    patrol_overview_by_township,
    patrol_tasks_for,
    save_patrol_plan,
    tasks_to_keep_offline,
    unassigned_patrol_tasks,
)
from ..policy import PATROL_TASK_POLICY
from .filing import FILE_PERMISSION, distance_label

TASKS_PER_PAGE = 50


def _requires(permission):
    def decorator(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorator


def _only_for(predicate):
    """The view is for the people `predicate` (an accounts.access check) names; 403 for others."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


@_requires("inspections.view_patroltask")
def my_patrol_tasks(request):
    user = request.user
    pages = {section: request.GET.get(section) for section in ("overdue", "current")}
    position = SiteSearchForm(request.GET).position()
    context = my_patrols(user=user, today=timezone.localdate(), pages=pages, position=position)
    # Each section pages on its own; its links keep the other section's page (and the position).
    near = f"&{urlencode({'lat': position[0], 'lng': position[1]})}" if position else ""
    for section in pages:
        context[f"keep_{section}"] = f"{section}={context[section].number}{near}"
    for section in pages:
        for task in context[section]:
            task.distance_label = distance_label(getattr(task, "distance2", None))
    context["scope"] = user.township if township_scope(user) else None
    context["own_tasks_only"] = is_grid_worker(user)
    context["position"] = position
    return render(request, "inspections/patrol_mine.html", context)


@_requires("inspections.view_patroltask")
def offline_pack(request):
    """The pages a phone keeps so that a patrol can be filed offline (static/js/pwa.js): my
    patrols, the site chooser, and for each open task its report form and its site."""
    tasks = tasks_to_keep_offline(user=request.user, today=timezone.localdate())
    pages = [
        reverse("inspections:patrol-mine"),
        reverse("inspections:report-choose-site"),
        reverse("pwa-offline"),
    ]
    can_file = request.user.has_perm(FILE_PERMISSION)
    for task in tasks:
        if can_file:
            pages.append(reverse("inspections:report-file", args=[task.site_id]))
        pages.append(reverse("sites:site-detail", args=[task.site_id]))
    return JsonResponse({"pages": list(dict.fromkeys(pages))})


@_requires("inspections.view_patroltask")
def patrol_overview(request):
    rows = patrol_overview_by_township(user=request.user, today=timezone.localdate())
    return render(
        request,
        "inspections/patrol_overview.html",
        {
            "rows": rows,
            "total_overdue": sum(row["overdue"] for row in rows),
            "own_tasks_only": is_grid_worker(request.user),
        },
    )


@_requires("inspections.view_patrolplan")
def patrol_plan_list(request):
    plans = (
        PatrolPlan.objects.visible_to(request.user)
        .select_related("township")
        .order_by("-is_active", "name")
    )
    return render(
        request,
        "inspections/patrol_plan_list.html",
        {"plans": plans, "can_change": request.user.has_perm("inspections.change_patrolplan")},
    )


@_requires("inspections.add_patrolplan")
def patrol_plan_create(request):
    return _plan_form(request, plan=PatrolPlan(), heading=_("New patrol plan"))


@_requires("inspections.change_patrolplan")
def patrol_plan_edit(request, pk):
    plan = get_object_or_404(PatrolPlan.objects.editable_by(request.user), pk=pk)
    return _plan_form(request, plan=plan, heading=_("Edit %(name)s") % {"name": plan})


def _plan_form(request, *, plan, heading):
    form = PatrolPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            save_patrol_plan(plan=form.instance, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Patrol plan saved."))
            return redirect("inspections:patrol-plan-list")
    return render(
        request,
        "form.html",
        {"form": form, "heading": heading, "cancel_url": reverse("inspections:patrol-plan-list")},
    )


@_only_for(assigns_patrol_tasks)
def unassigned_tasks(request):
    """Open tasks no grid worker holds: the centre's county-wide, a township's own; each with
    the grid workers of its township to give it to."""
    paginator = Paginator(unassigned_patrol_tasks(user=request.user), TASKS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    tasks = list(page.object_list)
    workers = assignable_grid_workers(tasks=tasks)
    for task in tasks:
        task.allowed = PATROL_TASK_POLICY.allowed_actions(task, request.user)
        task.workers = workers.get(task.township_id, [])
    assignable = [
        task for task in tasks if PatrolTaskAction.ASSIGN in task.allowed and task.workers
    ]
    # The bulk form's grid workers, by township (those of the tasks one may give out here).
    bulk_workers = {task.township: task.workers for task in assignable}
    return render(
        request,
        "inspections/patrol_unassigned.html",
        {
            "tasks": tasks,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "scope": request.user.township if township_scope(request.user) else None,
            "assign_action": PatrolTaskAction.ASSIGN,
            "bulk_workers": sorted(bulk_workers.items(), key=lambda item: item[0].code),
        },
    )


@require_POST
@_only_for(assigns_patrol_tasks)
def assign_task(request, pk):
    task = get_object_or_404(patrol_tasks_for(user=request.user), pk=pk)
    form = AssignPatrolTaskForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("inspections:patrol-unassigned")
    worker = User.objects.filter(pk=form.cleaned_data["worker"]).first()
    try:
        if worker is None:
            raise ValidationError(_("Choose an active grid worker."))
        assign_patrol_task(task=task, worker=worker, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(site)s assigned to %(worker)s.") % {"site": task.site, "worker": worker},
        )
    return redirect("inspections:patrol-unassigned")


@require_POST
@_only_for(assigns_patrol_tasks)
def bulk_assign_tasks(request):
    """The ticked unassigned tasks, all to one grid worker (all or none)."""
    form = BulkAssignPatrolTasksForm(request.POST, tasks=patrol_tasks_for(user=request.user))
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("inspections:patrol-unassigned")
    tasks = list(form.cleaned_data["tasks"])
    worker = User.objects.filter(pk=form.cleaned_data["worker"]).first()
    try:
        if worker is None:
            raise ValidationError(_("Choose an active grid worker."))
        count = assign_patrol_tasks(tasks=tasks, worker=worker, actor=request.user)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d patrol task given to %(worker)s.",
                "%(count)d patrol tasks given to %(worker)s.",
                count,
            )
            % {"count": count, "worker": worker},
        )
    return redirect("inspections:patrol-unassigned")


@_only_for(reads_grid_roster)
def grid_roster(request):
    paginator = Paginator(grid_workers_for_roster(user=request.user), TASKS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/grid_roster.html",
        {
            "workers": page.object_list,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "scope": request.user.township if township_scope(request.user) else None,
        },
    )


@_only_for(reads_grid_roster)
def grid_roster_export(request):
    today = timezone.localdate()
    workbook = build_grid_roster_workbook(
        workers=grid_workers_for_roster(user=request.user),
        sites=grid_sites_for_roster(user=request.user),
        as_of=today,
        scope=user_scope(request.user),
    )
    filename = grid_roster_filename(as_of=today)
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    return xlsx_response(workbook, filename)
