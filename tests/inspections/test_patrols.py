"""Patrol plans become tasks each period, assigned to the site township's grid workers; a
report on the site completes the task; the pages show each user their own township's tasks."""

import contextlib
import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import NotificationKind, Role
from accounts.models import Notification
from inspections.choices import PatrolFrequency, PatrolTaskAction, PatrolTaskStatus
from inspections.models import PatrolPlan, PatrolTask
from inspections.patrols import (
    complete_patrol_tasks,
    generate_patrol_tasks,
    overdue_patrol_tasks,
    patrol_overview_by_township,
    period_for,
    save_patrol_plan,
)
from inspections.policy import PATROL_TASK_POLICY
from inspections.services import file_inspection
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_site, make_user

WEDNESDAY = dt.date(2026, 3, 11)
NOON = dt.datetime(2026, 3, 11, 4, 0, tzinfo=dt.UTC)  # 12:00 in Anji


@pytest.fixture
def only_our_plans(db):
    """The seeded default plans are switched off so each test sets its own."""
    PatrolPlan.objects.update(is_active=False)


def plan(*, status="operating", frequency=PatrolFrequency.MONTHLY, **fields):
    return PatrolPlan.objects.create(
        name=f"{status} {frequency}", status=status, frequency=frequency, **fields
    )


def grid_worker(township_code, username):
    return make_user(Role.GRID_WORKER, township_code=township_code, username=username)


# Periods ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "today", "start", "end"),
    [
        ("weekly", dt.date(2026, 3, 11), dt.date(2026, 3, 9), dt.date(2026, 3, 15)),
        ("weekly", dt.date(2026, 3, 15), dt.date(2026, 3, 9), dt.date(2026, 3, 15)),
        ("weekly", dt.date(2025, 12, 31), dt.date(2025, 12, 29), dt.date(2026, 1, 4)),
        ("monthly", dt.date(2026, 2, 14), dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("monthly", dt.date(2026, 12, 31), dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ("quarterly", dt.date(2026, 3, 31), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("quarterly", dt.date(2026, 11, 5), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ],
)
def test_period_is_week_month_or_quarter_containing_today(frequency, today, start, end):
    assert period_for(frequency=frequency, today=today) == (start, end)


# Generation ------------------------------------------------------------------------------------


def test_plan_picks_sites_by_status_tier_and_township(commerce_admin, only_our_plans, dipu):
    wanted = make_site(actor=commerce_admin, tier=3, status="operating")
    make_site(actor=commerce_admin, tier=3, status="rectifying")  # other status
    make_site(actor=commerce_admin, tier=2, status="operating")  # other tier
    make_site(actor=commerce_admin, tier=3, status="operating", township_code=CHANGSHUO)
    monthly = plan(tier=3, township=dipu)

    counts = generate_patrol_tasks(today=WEDNESDAY)

    task = PatrolTask.objects.get()
    assert (task.plan, task.site, task.township) == (monthly, wanted, dipu)
    assert (task.period_start, task.due_on) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert counts["created"] == 1


def test_tasks_go_to_grid_workers_of_the_sites_township_fewest_open_tasks_first(
    commerce_admin, only_our_plans
):
    dipu_sites = [make_site(actor=commerce_admin) for _ in range(4)]
    changshuo_site = make_site(actor=commerce_admin, township_code=CHANGSHUO)
    busy = grid_worker(DIPU, "a_busy")
    free = grid_worker(DIPU, "b_free")
    make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU, username="a_officer")
    make_user(Role.GRID_WORKER, township_code=DIPU, username="a_gone", is_active=False)
    changshuo_worker = grid_worker(CHANGSHUO, "c_worker")
    weekly = plan(frequency=PatrolFrequency.WEEKLY)
    PatrolTask.objects.create(
        plan=weekly,
        site=dipu_sites[0],
        township=dipu_sites[0].township,
        period_start=dt.date(2026, 3, 2),
        due_on=dt.date(2026, 3, 8),
        assigned_to=busy,
    )
    plan(status="operating")  # monthly

    generate_patrol_tasks(today=WEDNESDAY)

    new = PatrolTask.objects.exclude(period_start=dt.date(2026, 3, 2))
    assert new.get(site=changshuo_site, plan=weekly).assigned_to == changshuo_worker
    dipu_loads = {
        worker.username: worker.patrol_tasks.filter(status=PatrolTaskStatus.OPEN).count()
        for worker in (busy, free)
    }
    # 4 sites × 2 plans = 8 new tasks in 递铺, plus busy's old one: 9 open tasks spread 4/5.
    assert sorted(dipu_loads.values()) == [4, 5]
    assert set(
        new.filter(township=dipu_sites[0].township).values_list("assigned_to", flat=True)
    ) <= {
        busy.pk,
        free.pk,
    }


def test_ties_go_by_username(commerce_admin, only_our_plans):
    site = make_site(actor=commerce_admin)
    grid_worker(DIPU, "zhang")
    first = grid_worker(DIPU, "li")
    plan()

    generate_patrol_tasks(today=WEDNESDAY)

    assert PatrolTask.objects.get(site=site).assigned_to == first


def _greedy(sites, loads):
    """The assignment rule as users know it: each site in turn (by site number) to the worker
    with the fewest open tasks, ties by username."""
    loads = dict(loads)
    chosen = {}
    for site in sorted(sites, key=lambda site: site.code):
        worker = min(loads, key=lambda name: (loads[name], name))
        chosen[site.pk] = worker
        loads[worker] += 1
    return chosen


def test_many_sites_are_spread_over_unequally_loaded_workers_as_one_by_one(
    commerce_admin, only_our_plans
):
    sites = [make_site(actor=commerce_admin) for _ in range(11)]
    old = plan(frequency=PatrolFrequency.WEEKLY, is_active=False)
    loads = {"Zhao": 0, "li": 2, "wang": 5, "Li2": 2}
    workers = {name: grid_worker(DIPU, name) for name in loads}
    weeks = iter(range(100))
    for name, load in loads.items():
        for _task in range(load):
            week = next(weeks)
            PatrolTask.objects.create(
                plan=old,
                site=sites[0],
                township=sites[0].township,
                period_start=dt.date(2026, 1, 5) + dt.timedelta(weeks=week),
                due_on=dt.date(2026, 1, 11) + dt.timedelta(weeks=week),
                assigned_to=workers[name],
            )
    plan()

    counts = generate_patrol_tasks(today=WEDNESDAY)

    new = PatrolTask.objects.filter(plan__is_active=True).select_related("assigned_to")
    assert {task.site_id: task.assigned_to.username for task in new} == _greedy(sites, loads)
    assert counts["created"] == 11
    assert counts["notified"] == len(set(_greedy(sites, loads).values()))


def test_second_run_is_a_fixed_number_of_queries_however_many_sites(commerce_admin, only_our_plans):
    grid_worker(DIPU, "worker")
    plan()
    plan(frequency=PatrolFrequency.WEEKLY)
    make_site(actor=commerce_admin)
    generate_patrol_tasks(today=WEDNESDAY)
    with CaptureQueriesContext(connection) as few:
        assert generate_patrol_tasks(today=WEDNESDAY)["created"] == 0
    for _site in range(5):
        make_site(actor=commerce_admin)
    generate_patrol_tasks(today=WEDNESDAY)
    with CaptureQueriesContext(connection) as many:
        assert generate_patrol_tasks(today=WEDNESDAY)["existing"] == 12

    # The plans; one cancelling statement per status the plans patrol; per active plan its
    # lock, the memory for its sorts and one statement (savepoints aside).
    statements = [q["sql"] for q in many if "SAVEPOINT" not in q["sql"]]
    statuses = PatrolPlan.objects.values("status").distinct().count()
    assert len(many) == len(few)
    assert len(statements) == 1 + statuses + 3 * 2, statements


def test_township_without_grid_workers_leaves_tasks_unassigned(commerce_admin, only_our_plans):
    make_site(actor=commerce_admin, township_code=CHANGSHUO)
    plan()

    counts = generate_patrol_tasks(today=WEDNESDAY)

    assert counts == {"created": 1, "existing": 0, "unassigned": 1, "notified": 0, "cancelled": 0}
    assert PatrolTask.objects.get().assigned_to is None


def test_second_run_creates_nothing_and_notifies_nobody_again(commerce_admin, only_our_plans):
    make_site(actor=commerce_admin)
    make_site(actor=commerce_admin)
    worker = grid_worker(DIPU, "worker")
    plan()
    plan(frequency=PatrolFrequency.QUARTERLY)

    first = generate_patrol_tasks(today=WEDNESDAY)
    second = generate_patrol_tasks(today=WEDNESDAY + dt.timedelta(days=1))

    assert first == {"created": 4, "existing": 0, "unassigned": 0, "notified": 2, "cancelled": 0}
    assert second == {"created": 0, "existing": 4, "unassigned": 0, "notified": 0, "cancelled": 0}
    # Both plans' periods start on 1 January or 1 March: one notification per period start.
    notifications = Notification.objects.filter(recipient=worker, kind=NotificationKind.PATROL_TASK)
    assert notifications.count() == 2
    assert {n.dedupe_key for n in notifications} == {
        f"patrol:{worker.pk}:2026-03-01",
        f"patrol:{worker.pk}:2026-01-01",
    }
    assert all(n.link == reverse("inspections:patrol-mine") for n in notifications)


def test_new_period_gives_new_tasks(commerce_admin, only_our_plans):
    make_site(actor=commerce_admin)
    grid_worker(DIPU, "worker")
    plan(frequency=PatrolFrequency.WEEKLY)

    generate_patrol_tasks(today=WEDNESDAY)
    counts = generate_patrol_tasks(today=WEDNESDAY + dt.timedelta(days=5))  # next Monday

    assert counts["created"] == 1
    assert sorted(PatrolTask.objects.values_list("period_start", flat=True)) == [
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
    ]


def test_inactive_plans_give_no_tasks(commerce_admin, only_our_plans):
    make_site(actor=commerce_admin)
    plan(is_active=False)

    assert generate_patrol_tasks(today=WEDNESDAY)["created"] == 0


def test_celery_task_generates_for_today(commerce_admin, only_our_plans):
    from inspections.tasks import generate_patrol_tasks as task

    make_site(actor=commerce_admin)
    plan()
    with time_machine.travel(dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC)):  # 1 April in Anji
        result = task.apply().get()

    assert result["created"] == 1
    assert PatrolTask.objects.get().period_start == dt.date(2026, 4, 1)


# Two generators at once ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_make_exactly_one_task_per_plan_site_and_period(
    transactional_portal_data,
):
    PatrolPlan.objects.update(is_active=False)
    admin = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    sites = [make_site(actor=admin) for _ in range(6)]
    workers = [grid_worker(DIPU, "w1"), grid_worker(DIPU, "w2")]
    plan()
    plan(frequency=PatrolFrequency.WEEKLY)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(generate_patrol_tasks(today=WEDNESDAY))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert PatrolTask.objects.count() == 2 * len(sites)
    assert sum(result["created"] for result in results) == 2 * len(sites)
    assert sorted(result["existing"] for result in results) == [0, 2 * len(sites)]
    for worker in workers:
        # Weekly period starts 9 March, monthly 1 March: one notification for each.
        assert Notification.objects.filter(recipient=worker).count() == 2


# Completion and overdue ------------------------------------------------------------------------


@pytest.fixture
def dipu_task(commerce_admin, only_our_plans, dipu_grid_worker):
    make_site(actor=commerce_admin)
    plan(frequency=PatrolFrequency.WEEKLY)
    generate_patrol_tasks(today=timezone.localdate())
    return PatrolTask.objects.get()


def test_filing_a_report_completes_the_sites_task(dipu_task, dipu_grid_worker):
    inspection = file_inspection(site=dipu_task.site, inspector=dipu_grid_worker, result="passed")

    dipu_task.refresh_from_db()
    assert dipu_task.status == PatrolTaskStatus.DONE
    assert dipu_task.inspection == inspection


def test_report_by_someone_outside_the_township_does_not_complete(dipu_task, commerce_admin):
    file_inspection(site=dipu_task.site, inspector=commerce_admin, result="passed")

    dipu_task.refresh_from_db()
    assert dipu_task.status == PatrolTaskStatus.OPEN


def test_report_before_the_period_does_not_complete(dipu_task, dipu_officer):
    before = timezone.make_aware(
        dt.datetime.combine(dipu_task.period_start - dt.timedelta(days=1), dt.time(12))
    )
    file_inspection(
        site=dipu_task.site, inspector=dipu_officer, result="passed", inspected_at=before
    )

    dipu_task.refresh_from_db()
    assert dipu_task.status == PatrolTaskStatus.OPEN


def test_done_task_is_not_completed_again(dipu_task, dipu_grid_worker, dipu_officer):
    first = file_inspection(site=dipu_task.site, inspector=dipu_grid_worker, result="passed")
    second = file_inspection(site=dipu_task.site, inspector=dipu_officer, result="passed")

    assert complete_patrol_tasks(inspection=second) == 0
    dipu_task.refresh_from_db()
    assert dipu_task.inspection == first


def test_overdue_tasks_are_counted_per_township(commerce_admin, only_our_plans, dipu, changshuo):
    make_site(actor=commerce_admin)
    make_site(actor=commerce_admin)
    make_site(actor=commerce_admin, township_code=CHANGSHUO)
    plan(frequency=PatrolFrequency.WEEKLY)
    generate_patrol_tasks(today=WEDNESDAY)
    later = WEDNESDAY + dt.timedelta(days=7)
    PatrolTask.objects.filter(township=changshuo).update(status=PatrolTaskStatus.DONE)

    rows = {
        row["township"]: row
        for row in patrol_overview_by_township(user=commerce_admin, today=later)
    }

    assert overdue_patrol_tasks(today=later).count() == 2
    assert overdue_patrol_tasks(today=WEDNESDAY).count() == 0
    assert (rows[dipu]["overdue"], rows[dipu]["open"], rows[dipu]["done"]) == (2, 2, 0)
    assert (rows[changshuo]["overdue"], rows[changshuo]["done"]) == (0, 1)


# Plans ----------------------------------------------------------------------------------------


def test_only_the_commerce_bureau_saves_plans(dipu_officer, commerce_admin):
    from django.core.exceptions import PermissionDenied

    new = PatrolPlan(name="每周复查", status="banned", frequency="weekly")
    with pytest.raises(PermissionDenied):
        save_patrol_plan(plan=new, actor=dipu_officer)

    save_patrol_plan(plan=new, actor=commerce_admin)
    assert new.history.get().history_user == commerce_admin


def test_commerce_admin_creates_and_edits_a_plan_through_the_pages(client, commerce_admin):
    client.force_login(commerce_admin)
    response = client.post(
        reverse("inspections:patrol-plan-create"),
        {
            "name": "中转站季度巡查",
            "status": "operating",
            "tier": "2",
            "frequency": "quarterly",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = PatrolPlan.objects.get(name="中转站季度巡查")
    assert (created.tier, created.frequency) == (2, "quarterly")

    response = client.post(
        reverse("inspections:patrol-plan-edit", args=[created.pk]),
        {"name": "中转站季度巡查", "status": "operating", "tier": "", "frequency": "monthly"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.tier, created.frequency, created.is_active) == (None, "monthly", False)
    assert created.history.count() == 2
    assert client.get(reverse("inspections:patrol-plan-list")).status_code == 200


def test_grid_workers_do_not_edit_plans(client, dipu_grid_worker):
    client.force_login(dipu_grid_worker)
    assert client.get(reverse("inspections:patrol-plan-create")).status_code == 403
    assert client.get(reverse("inspections:patrol-plan-list")).status_code == 200


# Pages ----------------------------------------------------------------------------------------


def _tasks_in_both_townships(commerce_admin, count):
    for _ in range(count):
        make_site(actor=commerce_admin)
        make_site(actor=commerce_admin, township_code=CHANGSHUO)
    generate_patrol_tasks(today=WEDNESDAY)


@time_machine.travel(NOON)
def test_grid_worker_sees_only_their_townships_tasks_with_a_link_to_file(
    client, commerce_admin, only_our_plans, dipu_grid_worker
):
    plan(frequency=PatrolFrequency.WEEKLY)
    _tasks_in_both_townships(commerce_admin, 2)
    client.force_login(dipu_grid_worker)

    response = client.get(reverse("inspections:patrol-mine"))

    assert response.status_code == 200
    current = response.context["current"]
    assert len(current) == 2
    assert {task.township.code for task in current} == {DIPU}
    task = current[0]
    assert f"{reverse('inspections:report-file', args=[task.site_id])}?task={task.pk}" in (
        response.content.decode()
    )


@time_machine.travel(NOON)
def test_township_officer_sees_township_tasks_overdue_and_done(
    client, commerce_admin, only_our_plans, dipu_officer, dipu_grid_worker
):
    plan(frequency=PatrolFrequency.WEEKLY)
    _tasks_in_both_townships(commerce_admin, 2)
    generate_patrol_tasks(today=WEDNESDAY - dt.timedelta(days=7))  # last week's, now overdue
    done = PatrolTask.objects.filter(township__code=DIPU, period_start=dt.date(2026, 3, 9)).first()
    file_inspection(site=done.site, inspector=dipu_grid_worker, result="passed")
    client.force_login(dipu_officer)

    response = client.get(reverse("inspections:patrol-mine"))

    assert [t.township.code for t in response.context["overdue"]] == [DIPU, DIPU]
    assert len(response.context["current"]) == 1
    assert [t.pk for t in response.context["done"]] == [done.pk]


@time_machine.travel(NOON)
@pytest.mark.parametrize("url_name", ["inspections:patrol-mine", "inspections:patrol-overview"])
def test_patrol_pages_make_a_fixed_number_of_queries(
    client, commerce_admin, only_our_plans, dipu_grid_worker, url_name
):
    plan(frequency=PatrolFrequency.WEEKLY)
    client.force_login(dipu_grid_worker)
    _tasks_in_both_townships(commerce_admin, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _tasks_in_both_townships(commerce_admin, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(url_name)).status_code == 200

    assert len(many) == len(few)
    assert len(few) <= 14  # my patrols: the overdue and current lists each count their rows


@time_machine.travel(NOON)
def test_overview_page_counts_overdue_per_township(client, commerce_admin, only_our_plans):
    plan(frequency=PatrolFrequency.WEEKLY)
    make_site(actor=commerce_admin)
    generate_patrol_tasks(today=WEDNESDAY - dt.timedelta(days=7))
    client.force_login(commerce_admin)

    response = client.get(reverse("inspections:patrol-overview"))

    assert response.context["total_overdue"] == 1
    rows = {row["township"].code: row["overdue"] for row in response.context["rows"]}
    assert rows[DIPU] == 1
    assert rows[CHANGSHUO] == 0


def test_navigation_offers_my_patrols(client, dipu_grid_worker):
    client.force_login(dipu_grid_worker)
    response = client.get(reverse("home"), follow=True)
    assert reverse("inspections:patrol-mine") in [
        url for _label, url in response.context["nav_items"]
    ]


# Sites that leave their plan ---------------------------------------------------------------------


def test_a_closed_site_leaves_no_open_patrol_task(client, commerce_admin, only_our_plans):
    from sites.services import change_site_status

    worker = grid_worker(DIPU, "a_worker")
    closing, staying = make_site(actor=commerce_admin), make_site(actor=commerce_admin)
    plan()
    generate_patrol_tasks(today=WEDNESDAY)
    assert PatrolTask.objects.filter(status=PatrolTaskStatus.OPEN).count() == 2

    change_site_status(site=closing, to="closed", actor=commerce_admin, reason="经营者歇业")

    # At once: the task is off the grid worker's page and out of the township's open count.
    with time_machine.travel(NOON, tick=False):
        client.force_login(worker)
        page = client.get(reverse("inspections:patrol-mine")).content.decode()
    assert staying.name in page and closing.name not in page
    overview = patrol_overview_by_township(user=commerce_admin, today=WEDNESDAY)
    assert next(row["open"] for row in overview if row["township"].code == DIPU) == 1
    # At the next sweep it is cancelled for good, and not made again.
    counts = generate_patrol_tasks(today=WEDNESDAY)
    assert counts["cancelled"] == 1
    assert PatrolTask.objects.get(site=closing).status == PatrolTaskStatus.CANCELLED
    assert PatrolTask.objects.get(site=staying).status == PatrolTaskStatus.OPEN


def test_a_banned_site_moves_to_the_banned_sites_plan(commerce_admin, only_our_plans):
    from sites.services import change_site_status

    site = make_site(actor=commerce_admin)
    operating, banned = plan(), plan(status="banned")
    generate_patrol_tasks(today=WEDNESDAY)

    change_site_status(site=site, to="banned", actor=commerce_admin, reason="取缔")
    generate_patrol_tasks(today=WEDNESDAY)

    tasks = {task.plan: task.status for task in PatrolTask.objects.filter(site=site)}
    assert tasks == {operating: PatrolTaskStatus.CANCELLED, banned: PatrolTaskStatus.OPEN}
    assert list(overdue_patrol_tasks(today=dt.date(2026, 4, 2))) == [
        PatrolTask.objects.get(site=site, plan=banned)
    ]


@pytest.mark.parametrize("done_first", [False, True])
def test_filing_completes_a_task_exactly_when_the_patrol_policy_allows_it(
    dipu_task, dipu_grid_worker, dipu_officer, commerce_admin, market_officer, done_first
):
    if done_first:
        file_inspection(site=dipu_task.site, inspector=dipu_officer, result="passed")
    people = {
        "grid worker": dipu_grid_worker,
        "township officer": dipu_officer,
        "other township": grid_worker(CHANGSHUO, "grid-changshuo"),
        "commerce": commerce_admin,
        "agency officer": market_officer,
    }
    for who, person in people.items():
        task = PatrolTask.objects.get(pk=dipu_task.pk)
        allowed = PATROL_TASK_POLICY.may(task, person, PatrolTaskAction.FILE_REPORT)
        with transaction.atomic():
            savepoint = transaction.savepoint()
            with contextlib.suppress(PermissionDenied):
                file_inspection(site=task.site, inspector=person, result="passed")
            completed = PatrolTask.objects.get(pk=task.pk).status == PatrolTaskStatus.DONE
            transaction.savepoint_rollback(savepoint)
        assert completed == (allowed or done_first), who
        assert allowed == (not done_first and who in ("grid worker", "township officer")), who
