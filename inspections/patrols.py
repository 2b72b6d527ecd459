"""Patrol plans and tasks: the services that write them and the selectors that read them.

A plan says which sites (status, tier, township) are patrolled how often. Every period a
system job turns each active plan into one task per matching site, assigned to a grid worker
of the site's township; filing a report on the site within the period completes the task.
"""

import datetime as dt
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
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
from .patrol_sql import write_tasks_in_sql
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
    created: int
    existing: int
    unassigned: int = 0
    period: tuple[dt.date, dt.date] | None = None  # (first day, due on)
    assigned: Counter | None = None  # tasks per assignee


def _insert_tasks(*, plan, start, end, rows) -> None:
    """The (site, township, assignee) rows as open tasks of the period (SQLite: the demo); a
    task already there (another writer) is left as it is, as the unique constraint says."""
    PatrolTask.objects.bulk_create(
        [
            PatrolTask(
                plan_id=plan.pk,
                site_id=site_id,
                township_id=township_id,
                period_start=start,
                due_on=end,
                assigned_to_id=assignee,
            )
            for site_id, township_id, assignee in rows
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


@transaction.atomic
def _generate_for_plan(*, plan: PatrolPlan, today: dt.date) -> _PlanResult | None:
    # The plan's row lock lets one generator at a time work on a plan, so the second of two
    # concurrent runs sees the first one's tasks; the unique constraint (ON CONFLICT DO
    # NOTHING) still keeps one task per (plan, site, period) against any other writer.
    plan = PatrolPlan.objects.select_for_update().filter(pk=plan.pk, is_active=True).first()
    if plan is None:
        return None
    start, end = period_for(frequency=plan.frequency, today=today)
    # Only the sites still without a task of the period, as plain (id, township) pairs: at
    # province scale a plan covers 100,000 sites, and a second run of the period has only to
    # learn from the database that none is left.
    sites = sites_for_plan(plan)
    if connection.vendor == "postgresql":
        return _generate_in_sql(plan=plan, sites=sites, start=start, end=end)
    with_task = PatrolTask.objects.filter(plan=plan, period_start=start, site_id=OuterRef("pk"))
    new_sites = list(sites.exclude(Exists(with_task)).values_list("pk", "township_id"))
    if not new_sites:
        return _PlanResult(created=0, existing=sites.count())
    workers = _grid_workers_by_township({township_id for _site, township_id in new_sites})
    rows, assigned = [], Counter()
    for site_id, township_id in new_sites:
        assignee = _least_loaded(workers.get(township_id, []))
        rows.append((site_id, township_id, assignee.pk if assignee else None))
        if assignee is not None:
            assigned[assignee] += 1
    _insert_tasks(plan=plan, start=start, end=end, rows=rows)
    return _PlanResult(
        created=len(rows),
        existing=sites.count() - len(rows),
        unassigned=len(rows) - sum(assigned.values()),
        period=(start, end),
        assigned=assigned,
    )


def _generate_in_sql(*, plan, sites, start, end) -> _PlanResult:
    """The same tasks and assignment, written by PostgreSQL in one statement (patrol_sql.py):
    no site or worker travels to Python, and a second run is one anti-join."""
    written = write_tasks_in_sql(plan=plan, sites=sites, start=start, end=end)
    workers = User.objects.in_bulk(written.assigned) if written.assigned else {}
    return _PlanResult(
        created=written.created,
        existing=written.covered - written.created,
        unassigned=written.unassigned,
        period=(start, end),
        assigned=Counter({workers[pk]: count for pk, count in written.assigned.items()}),
    )


def still_planned() -> Q:
    """An open task whose site still has the status its plan patrols: a site closed, banned
    or back in operation since leaves the old plan's task behind."""
    return Q(site__status=F("plan__status"))


def cancel_stale_patrol_tasks(plans=None) -> int:
    """Cancel the open tasks of sites their plan no longer covers (a closed site is not
    patrolled; a banned one gets the banned sites' plan instead). Returns how many.
    One statement per status the plans patrol, that status a constant: PostgreSQL then starts
    from the few sites of another status (or those plans' few open tasks) instead of joining
    every open task of the county to its site on each run."""
    plans = PatrolPlan.objects.order_by("pk") if plans is None else plans
    by_status = defaultdict(list)
    for plan in plans:
        by_status[plan.status].append(plan.pk)
    # PatrolTask keeps no history, so a queryset update is the audit-safe single write.
    return sum(
        PatrolTask.objects.filter(plan_id__in=plan_ids, status=PatrolTaskStatus.OPEN)
        .exclude(site__status=status)
        .update(status=PatrolTaskStatus.CANCELLED)
        for status, plan_ids in by_status.items()
    )


def generate_patrol_tasks(*, today: dt.date) -> dict:
    """For each active plan, one task per matching site in the period containing `today`,
    after cancelling the open tasks of sites the plans no longer cover. Idempotent: safe to
    run again, and on two workers at once. Each assignee is notified once per period.
    Returns the counts: created, already there, unassigned, notified, cancelled."""
    counts = {"created": 0, "existing": 0, "unassigned": 0, "notified": 0}
    plans = list(PatrolPlan.objects.order_by("pk"))
    counts["cancelled"] = cancel_stale_patrol_tasks(plans)
    new_by_assignee = defaultdict(list)
    for plan in [plan for plan in plans if plan.is_active]:
        result = _generate_for_plan(plan=plan, today=today)
        if result is None:
            continue
        counts["created"] += result.created
        counts["existing"] += result.existing
        counts["unassigned"] += result.unassigned
        for assignee, count in (result.assigned or {}).items():
            start, due_on = result.period
            new_by_assignee[(assignee, start)].append((count, due_on))
    for (user, period_start), batches in new_by_assignee.items():
        counts["notified"] += _notify_assignee(
            user=user,
            period_start=period_start,
            count=sum(count for count, _due in batches),
            due_on=max(due for _count, due in batches),
        )
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


def _notify_assignee(*, user: User, period_start: dt.date, count: int, due_on: dt.date) -> int:
    return notify(
        recipients=[user],
        kind=NotificationKind.PATROL_TASK,
        title=ngettext(
            "%(count)s site to patrol by %(due)s",
            "%(count)s sites to patrol by %(due)s",
            count,
        )
        % {"count": count, "due": f"{due_on:%Y-%m-%d}"},
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
    _notify_assignee(user=worker, period_start=task.period_start, count=1, due_on=task.due_on)
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
