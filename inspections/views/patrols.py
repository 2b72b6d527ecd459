"""Patrol pages: "my patrols" for grid workers and township officers, the commerce bureau's
patrol plans, and the per-township overview of overdue tasks. Views parse input and call the
services and selectors in inspections/patrols.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_grid_worker, township_scope

from ..forms import PatrolPlanForm
from ..models import PatrolPlan
from ..patrols import my_patrols, patrol_overview_by_township, save_patrol_plan


def _requires(permission):
    def decorator(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorator


@_requires("inspections.view_patroltask")
def my_patrol_tasks(request):
    user = request.user
    pages = {section: request.GET.get(section) for section in ("overdue", "current")}
    context = my_patrols(user=user, today=timezone.localdate(), pages=pages)
    # Each section pages on its own; its links keep the other section's page.
    for section in pages:
        context[f"keep_{section}"] = f"{section}={context[section].number}"
    context["scope"] = user.township if township_scope(user) else None
    context["own_tasks_only"] = is_grid_worker(user)
    return render(request, "inspections/patrol_mine.html", context)


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
    plan = get_object_or_404(PatrolPlan, pk=pk)
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
