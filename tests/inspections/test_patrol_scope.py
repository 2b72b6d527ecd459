"""A grid worker sees the patrol tasks assigned to them, as the README says: not a colleague's
of the same township, not the township's unassigned ones (their township officer sees those),
on "my patrols", the patrol overview, the dashboard and its API alike."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.choices import Role
from inspections.choices import PatrolFrequency, PatrolTaskStatus
from inspections.models import PatrolPlan, PatrolTask
from inspections.patrols import generate_patrol_tasks
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_site, make_user

WEDNESDAY = dt.date(2026, 3, 11)
NOON = dt.datetime(2026, 3, 11, 4, 0, tzinfo=dt.UTC)  # 12:00 in Anji

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wednesday_noon():
    with time_machine.travel(NOON, tick=False):
        yield


class Patrols:
    """Two grid workers of 递铺街道 with two sites each, this week's tasks and last week's
    (overdue), one task nobody was given, and 昌硕街道's tasks."""

    def __init__(self, commerce):
        PatrolPlan.objects.update(is_active=False)
        PatrolPlan.objects.create(
            name="每周巡查", status="operating", frequency=PatrolFrequency.WEEKLY
        )
        self.li = make_user(Role.GRID_WORKER, township_code=DIPU, username="grid-li")
        self.wang = make_user(Role.GRID_WORKER, township_code=DIPU, username="grid-wang")
        make_user(Role.GRID_WORKER, township_code=CHANGSHUO, username="grid-changshuo")
        for number in range(4):
            make_site(actor=commerce, name=f"递铺巡查点{number}")
        make_site(actor=commerce, township_code=CHANGSHUO, name="昌硕巡查点")
        generate_patrol_tasks(today=WEDNESDAY - dt.timedelta(days=7))
        generate_patrol_tasks(today=WEDNESDAY)
        self.unassigned = PatrolTask.objects.filter(
            township__code=DIPU, period_start=WEDNESDAY - dt.timedelta(days=2)
        ).first()
        # A task whose worker left: nobody's until the township officer deals with it.
        PatrolTask.objects.filter(pk=self.unassigned.pk).update(assigned_to=None)

    def of(self, worker):
        return PatrolTask.objects.filter(assigned_to=worker)

    def site_names(self, worker):
        return {task.site.name for task in self.of(worker)}


@pytest.fixture
def patrols(commerce_admin):
    return Patrols(commerce_admin)


def test_two_grid_workers_of_a_township_share_its_tasks(patrols):
    """The fixture is what the tests need: both have tasks, on different sites."""
    assert patrols.of(patrols.li).count() >= 2
    assert patrols.of(patrols.wang).count() >= 2
    assert not patrols.site_names(patrols.li) & patrols.site_names(patrols.wang)


@pytest.mark.parametrize("who", ["li", "wang"])
def test_my_patrols_lists_only_the_tasks_assigned_to_me(client, patrols, who):
    worker, colleague = (patrols.li, patrols.wang) if who == "li" else (patrols.wang, patrols.li)
    client.force_login(worker)

    response = client.get(reverse("inspections:patrol-mine"))

    shown = [*response.context["overdue"], *response.context["current"]]
    assert {task.pk for task in shown} == set(
        patrols.of(worker).filter(status=PatrolTaskStatus.OPEN).values_list("pk", flat=True)
    )
    body = response.content.decode()
    for name in patrols.site_names(colleague):
        assert name not in body
    assert patrols.unassigned.pk not in {task.pk for task in shown}
    assert "分配给您" in body


def test_the_patrol_overview_counts_only_my_tasks(client, patrols):
    client.force_login(patrols.li)

    response = client.get(reverse("inspections:patrol-overview"))

    (row,) = response.context["rows"]
    mine = patrols.of(patrols.li)
    assert row["township"].code == DIPU
    assert row["open"] == mine.filter(status=PatrolTaskStatus.OPEN).count()
    assert row["overdue"] == mine.filter(due_on__lt=WEDNESDAY).count()
    assert response.context["total_overdue"] == row["overdue"]


def test_the_dashboard_and_its_api_count_only_my_patrol_tasks(client, api_client, patrols):
    overdue = patrols.of(patrols.li).filter(due_on__lt=WEDNESDAY).count()
    client.force_login(patrols.li)
    api_client.force_authenticate(patrols.li)

    page = client.get(reverse("dashboards:dashboard"), {"period": "2026-03"})
    api = api_client.get("/api/v1/dashboard/", {"period": "2026-03"})

    assert page.status_code == 200
    figures = page.context["headlines"].patrols
    assert (figures.due, figures.overdue) == (overdue, overdue)
    assert api.status_code == 200
    assert api.json()["patrols"]["overdue"] == overdue
    assert api.json()["patrols"]["due"] == overdue
    assert reverse("inspections:patrol-overview") in api.json()["patrols"]["url"]


def test_the_township_officer_sees_every_task_of_the_township_unassigned_too(
    client, patrols, dipu_officer
):
    client.force_login(dipu_officer)

    response = client.get(reverse("inspections:patrol-mine"))

    shown = {task.pk for task in [*response.context["overdue"], *response.context["current"]]}
    assert shown == set(
        PatrolTask.objects.filter(township__code=DIPU, status=PatrolTaskStatus.OPEN).values_list(
            "pk", flat=True
        )
    )
    assert patrols.unassigned.pk in shown


def test_a_grid_worker_may_act_only_on_their_own_tasks(patrols):
    assert set(PatrolTask.objects.editable_by(patrols.li)) == set(patrols.of(patrols.li))


def test_a_grid_worker_moved_to_another_township_leaves_the_old_tasks_behind(patrols):
    from accounts.services import assign_role
    from agencies.models import Township

    assign_role(
        user=patrols.li,
        role=Role.GRID_WORKER,
        township=Township.objects.get(code=CHANGSHUO),
        agency=None,
    )

    assert not PatrolTask.objects.visible_to(patrols.li).exists()


def test_the_patrol_plans_page_shows_county_plans_and_the_townships_own(
    client, commerce_admin, dipu_officer, dipu, changshuo
):
    PatrolPlan.objects.create(
        name="递铺专项巡查", status="banned", township=dipu, frequency="monthly"
    )
    PatrolPlan.objects.create(
        name="昌硕专项巡查", status="banned", township=changshuo, frequency="monthly"
    )
    client.force_login(dipu_officer)

    response = client.get(reverse("inspections:patrol-plan-list"))

    names = {plan.name for plan in response.context["plans"]}
    assert "递铺专项巡查" in names
    assert "昌硕专项巡查" not in names
    assert PatrolPlan.objects.filter(township__isnull=True).count()
    assert set(PatrolPlan.objects.filter(township__isnull=True).values_list("name", flat=True)) <= (
        names
    )
