"""Patrol plans and tasks: the services that write them and the selectors that read them.

A plan says which sites (status, tier, township) are patrolled how often. Every period a
system job turns each active plan into one task per matching site, assigned to a grid worker
of the site's township; filing a report on the site within the period completes the task.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import is_grid_worker, manages_patrol_plans, township_scope
from accounts.choices import NotificationKind, Role
from accounts.models import User
from accounts.notifications import notify
from accounts.selectors import officers
from agencies.models import Township
from anji_recycling.history import save_with_history
from anji_recycling.nearest import squared_distance
from sites.models import Site

from .choices import PatrolFrequency, PatrolTaskAction, PatrolTaskStatus
from .models import Inspection, PatrolPlan, PatrolTask
from .policy import PATROL_TASK_POLICY

logger = logging.getLogger(__name__)


# Periods ---------------------------------------------------------------------------------------


def period_for(*, frequency: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period of a plan's frequency that contains `today`: (first day, last day)."""
    if frequency == PatrolFrequency.WEEKLY:
        start = today - dt.timedelta(days=today.weekday())
        return start, start + dt.timedelta(days=6)
    if frequency == PatrolFrequency.MONTHLY:
        start = today.replace(day=1)
        return start, _next_month(start) - dt.timedelta(days=1)
    if frequency == PatrolFrequency.QUARTERLY:
        start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        end = _next_month(_next_month(_next_month(start))) - dt.timedelta(days=1)
        return start, end
    raise ValueError(f"Unknown patrol frequency: {frequency!r}")


def _next_month(first: dt.date) -> dt.date:
    if first.month == 12:
        return first.replace(year=first.year + 1, month=1)
    return first.replace(month=first.month + 1)


# Generating tasks ------------------------------------------------------------------------------


def sites_for_plan(plan: PatrolPlan):
    """The sites a plan covers, county-wide (a system job: not scoped by a user)."""
    sites = Site.objects.filter(status=plan.status)
    if plan.tier is not None:
        sites = sites.filter(tier=plan.tier)
    if plan.township_id is not None:
        sites = sites.filter(township_id=plan.township_id)
    return sites.order_by("township__code", "code")


def _grid_workers_by_township(township_ids) -> dict[int, list[User]]:
    """Active grid workers of these townships, each annotated with their open tasks."""
    workers = (
        officers(role=Role.GRID_WORKER, township_ids=township_ids)
        .annotate(
            open_tasks=Count("patrol_tasks", filter=Q(patrol_tasks__status=PatrolTaskStatus.OPEN))
        )
        .order_by("username")
    )
    by_township = defaultdict(list)
    for worker in workers:
        by_township[worker.township_id].append(worker)
    return by_township


def _least_loaded(workers: list[User]) -> User | None:
    """The worker with the fewest open tasks (ties: by username); their load goes up by one."""
    if not workers:
        return None
    worker = min(workers, key=lambda w: (w.open_tasks, w.username))
    worker.open_tasks += 1
    return worker


@dataclass
class _PlanResult:
    created: list[tuple[User | None, PatrolTask]]  # (assignee, task)
    existing: int


BATCH_SIZE = 5000  # rows per INSERT: a plan over 100,000 sites sends 20 statements, not one


@transaction.atomic
def _generate_for_plan(*, plan: PatrolPlan, today: dt.date) -> _PlanResult | None:
    # The plan's row lock lets one generator at a time work on a plan, so the second of two
    # concurrent runs sees the first one's tasks; the unique constraint (ignore_conflicts)
    # still keeps one task per (plan, site, period) against any other writer.
    plan = PatrolPlan.objects.select_for_update().filter(pk=plan.pk, is_active=True).first()
    if plan is None:
        return None
    start, end = period_for(frequency=plan.frequency, today=today)
    # Plain (id, township) pairs, not model instances: at province scale a plan covers
    # 100,000 sites, and a second run of the period only has to see that they all have tasks.
    sites = list(sites_for_plan(plan).values_list("pk", "township_id"))
    existing = set(
        PatrolTask.objects.filter(plan=plan, period_start=start).values_list("site_id", flat=True)
    )
    new_sites = [
        (site_id, township_id) for site_id, township_id in sites if site_id not in existing
    ]
    if not new_sites:
        return _PlanResult(created=[], existing=len(sites))
    workers = _grid_workers_by_township({township_id for _site, township_id in new_sites})
    created = []
    for site_id, township_id in new_sites:
        assignee = _least_loaded(workers.get(township_id, []))
        task = PatrolTask(
            plan_id=plan.pk,
            site_id=site_id,
            township_id=township_id,
            period_start=start,
            due_on=end,
            assigned_to_id=assignee.pk if assignee else None,
        )
        created.append((assignee, task))
    PatrolTask.objects.bulk_create(
        [task for _assignee, task in created], ignore_conflicts=True, batch_size=BATCH_SIZE
    )
    return _PlanResult(created=created, existing=len(sites) - len(new_sites))


def still_planned() -> Q:
    """An open task whose site still has the status its plan patrols: a site closed, banned
    or back in operation since leaves the old plan's task behind."""
    return Q(site__status=F("plan__status"))


def cancel_stale_patrol_tasks() -> int:
    """Cancel the open tasks of sites their plan no longer covers (a closed site is not
    patrolled; a banned one gets the banned sites' plan instead). Returns how many."""
    # PatrolTask keeps no history, so a queryset update is the audit-safe single write.
    return (
        PatrolTask.objects.filter(status=PatrolTaskStatus.OPEN)
        .exclude(still_planned())
        .update(status=PatrolTaskStatus.CANCELLED)
    )


def generate_patrol_tasks(*, today: dt.date) -> dict:
    """For each active plan, one task per matching site in the period containing `today`,
    after cancelling the open tasks of sites the plans no longer cover. Idempotent: safe to
    run again, and on two workers at once. Each assignee is notified once per period.
    Returns the counts: created, already there, unassigned, notified, cancelled."""
    counts = {"created": 0, "existing": 0, "unassigned": 0, "notified": 0}
    counts["cancelled"] = cancel_stale_patrol_tasks()
    new_by_assignee = defaultdict(list)
    for plan in PatrolPlan.objects.filter(is_active=True).order_by("pk"):
        result = _generate_for_plan(plan=plan, today=today)
        if result is None:
            continue
        counts["created"] += len(result.created)
        counts["existing"] += result.existing
        for assignee, task in result.created:
            if assignee is None:
                counts["unassigned"] += 1
            else:
                new_by_assignee[(assignee, task.period_start)].append(task)
    for (user, period_start), tasks in new_by_assignee.items():
        counts["notified"] += _notify_assignee(user=user, period_start=period_start, tasks=tasks)
    logger.info(
        "patrol tasks for %s: %s created, %s already there, %s unassigned, %s notified, "
        "%s cancelled",
        today,
        counts["created"],
        counts["existing"],
        counts["unassigned"],
        counts["notified"],
        counts["cancelled"],
    )
    return counts


def _notify_assignee(*, user: User, period_start: dt.date, tasks: list[PatrolTask]) -> int:
    due_on = max(task.due_on for task in tasks)
    return notify(
        recipients=[user],
        kind=NotificationKind.PATROL_TASK,
        title=ngettext(
            "%(count)s site to patrol by %(due)s",
            "%(count)s sites to patrol by %(due)s",
            len(tasks),
        )
        % {"count": len(tasks), "due": f"{due_on:%Y-%m-%d}"},
        key=f"patrol:{user.pk}:{period_start:%Y-%m-%d}",
        body=_(
            "New patrol tasks for the period from %(start)s to %(due)s. File a report on each site."
        )
        % {"start": f"{period_start:%Y-%m-%d}", "due": f"{due_on:%Y-%m-%d}"},
        link=reverse("inspections:patrol-mine"),
    )


# Completing tasks ------------------------------------------------------------------------------


def complete_patrol_tasks(*, inspection: Inspection) -> int:
    """A report on a site, within a task's period, by someone of the task's township completes
    the site's open tasks. Returns how many were completed."""
    inspector = inspection.inspector
    on = timezone.localtime(inspection.inspected_at).date()
    tasks = PatrolTask.objects.filter(
        site_id=inspection.site_id,
        status=PatrolTaskStatus.OPEN,
        period_start__lte=on,
        due_on__gte=on,
    )
    done = [
        task.pk
        for task in tasks
        if PATROL_TASK_POLICY.may(task, inspector, PatrolTaskAction.FILE_REPORT)
    ]
    if not done:
        return 0
    # PatrolTask keeps no history, so a queryset update is the audit-safe single write.
    return PatrolTask.objects.filter(pk__in=done).update(
        status=PatrolTaskStatus.DONE, inspection=inspection
    )


# Plans -----------------------------------------------------------------------------------------


@transaction.atomic
def save_patrol_plan(*, plan: PatrolPlan, actor) -> PatrolPlan:
    """Create or change a patrol plan (the commerce bureau), with a history entry."""
    if not manages_patrol_plans(actor):
        raise PermissionDenied(
            _("Only the commerce bureau and the social governance centre set patrol plans.")
        )
    return save_with_history(plan, actor=actor)


# Assigning tasks -------------------------------------------------------------------------------


@transaction.atomic
def assign_patrol_task(*, task: PatrolTask, worker: User, actor) -> PatrolTask:
    """Give an open task to a grid worker of its township (or to another one of them): the
    township's officers do it for their township, the social governance centre (and the
    commerce bureau) in any township. Row-locked, like every workflow write; the worker is
    notified."""
    task = PatrolTask.objects.select_for_update().get(pk=task.pk)
    PATROL_TASK_POLICY.ensure_allowed(task, actor, PatrolTaskAction.ASSIGN)
    if not is_grid_worker(worker) or not worker.is_active:
        raise ValidationError({"worker": _("Choose an active grid worker.")})
    if worker.township_id != task.township_id:
        raise ValidationError(
            {
                "worker": _("The grid worker must be of the task's township (%(township)s).")
                % {"township": task.township}
            }
        )
    # PatrolTask keeps no history (see complete_patrol_tasks).
    task.assigned_to = worker
    task.save(update_fields=["assigned_to"])
    _notify_assignee(user=worker, period_start=task.period_start, tasks=[task])
    return task


# Selectors -------------------------------------------------------------------------------------


def _open_overdue(queryset, *, today: dt.date):
    return queryset.filter(still_planned(), status=PatrolTaskStatus.OPEN, due_on__lt=today)


def overdue_patrol_tasks(*, today: dt.date):
    """Open tasks past their due date."""
    return _open_overdue(PatrolTask.objects.all(), today=today)


def patrol_tasks_for(*, user):
    """The tasks on a user's "my patrols" page, as `visible_to` has them: a grid worker's own;
    a township officer's township (the unassigned ones too); the county for the commerce
    bureau."""
    return PatrolTask.objects.visible_to(user).select_related(
        "site", "township", "plan", "assigned_to", "inspection"
    )


MY_PATROLS_PER_PAGE = 50


def my_patrols(
    *,
    user,
    today: dt.date,
    pages: dict | None = None,
    per_page: int = MY_PATROLS_PER_PAGE,
    position=None,
) -> dict:
    """Open tasks of the current period, the overdue ones, and the latest done, one page of each
    (`pages` maps "overdue"/"current" to the page asked for): the page size, not the number of
    tasks, bounds the page. With the phone's `position` (latitude, longitude), the open tasks
    nearest first (`distance2` on each)."""
    pages = pages or {}
    tasks = patrol_tasks_for(user=user)
    open_now = tasks.filter(
        still_planned(), status=PatrolTaskStatus.OPEN, period_start__lte=today, due_on__gte=today
    )
    order = ["due_on", "site__code", "pk"]
    if position is not None:
        # Nearest first when the phone gave its position; sites without one last.
        distance = squared_distance(*position, prefix="site__")
        open_now = open_now.annotate(distance2=distance)
        order = [F("distance2").asc(nulls_last=True), *order]
    overdue = _open_overdue(tasks, today=today)
    if position is not None:
        overdue = overdue.annotate(distance2=distance)
    lists = {
        "overdue": Paginator(overdue.order_by(*order), per_page).get_page(pages.get("overdue")),
        "current": Paginator(open_now.order_by(*order), per_page).get_page(pages.get("current")),
        "done": list(
            tasks.filter(status=PatrolTaskStatus.DONE).order_by("-due_on", "site__code")[:per_page]
        ),
    }
    for task in [task for listed in lists.values() for task in listed]:
        task.allowed = PATROL_TASK_POLICY.allowed_actions(task, user)
    return lists


OFFLINE_TASKS = 100


def tasks_to_keep_offline(*, user, today: dt.date):
    """The user's own open tasks (this period's and overdue), whose pages their phone keeps for
    offline use, soonest due first, at most OFFLINE_TASKS."""
    return (
        patrol_tasks_for(user=user)
        .filter(
            still_planned(),
            assigned_to=user,
            status=PatrolTaskStatus.OPEN,
            period_start__lte=today,
        )
        .order_by("due_on", "site__code", "pk")[:OFFLINE_TASKS]
    )


def patrol_overview_by_township(*, user, today: dt.date) -> list[dict]:
    """Per township the user may see: open, overdue and done tasks, counted in SQL."""
    counts = {
        row["township_id"]: row
        for row in PatrolTask.objects.visible_to(user)
        .order_by()
        .values("township_id")
        .annotate(
            open=Count("pk", filter=still_planned() & Q(status=PatrolTaskStatus.OPEN)),
            overdue=Count(
                "pk",
                filter=still_planned() & Q(status=PatrolTaskStatus.OPEN, due_on__lt=today),
            ),
            done=Count("pk", filter=Q(status=PatrolTaskStatus.DONE)),
        )
    }
    townships = Township.objects.order_by("code")
    scope = township_scope(user)
    if scope is not None:
        townships = townships.filter(pk=scope)
    empty = {"open": 0, "overdue": 0, "done": 0}
    return [
        {"township": township, **{k: counts.get(township.pk, empty)[k] for k in empty}}
        for township in townships
    ]


def unassigned_patrol_tasks(*, user):
    """Open tasks of the current and past periods that no grid worker holds, in the user's
    scope: the centre's and the commerce bureau's county-wide, a township's own."""
    return (
        patrol_tasks_for(user=user)
        .filter(still_planned(), status=PatrolTaskStatus.OPEN, assigned_to__isnull=True)
        .order_by("due_on", "township__code", "site__code")
    )


def assignable_grid_workers(*, tasks) -> dict[int, list[User]]:
    """The active grid workers of the townships of these tasks, by township: one query."""
    township_ids = {task.township_id for task in tasks}
    return _grid_workers_by_township(township_ids) if township_ids else {}


def grid_workers_for_roster(*, user):
    """The grid-worker roster (花名册): every grid worker for the commerce bureau and the
    centre, a township's own for its officers; each with their open, overdue and done tasks."""
    workers = User.objects.grid_roster_for(user)
    today = timezone.localdate()
    open_tasks = Q(patrol_tasks__status=PatrolTaskStatus.OPEN)
    overdue = open_tasks & Q(patrol_tasks__due_on__lt=today)
    return (
        workers.select_related("township", "agency")
        .annotate(
            open_tasks=Count("patrol_tasks", filter=open_tasks),
            overdue_tasks=Count("patrol_tasks", filter=overdue),
            done_tasks=Count("patrol_tasks", filter=Q(patrol_tasks__status=PatrolTaskStatus.DONE)),
        )
        .order_by("township__code", "username")
    )


def grid_sites_for_roster(*, user):
    """The sites of each grid (a grid worker's patch: the sites of the tasks they hold), one
    row per worker and site, in the roster's scope."""
    workers = grid_workers_for_roster(user=user).values("pk")
    return (
        PatrolTask.objects.filter(assigned_to__in=workers)
        .order_by("assigned_to__township__code", "assigned_to__username", "site__code")
        .values(
            "assigned_to__township__name",
            "assigned_to__username",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "site__code",
            "site__name",
            "site__tier",
            "site__status",
        )
        .distinct()
    )
