"""The social governance centre, the supply and marketing co-op and the industry association:
what each sees and does across pages, API and exports."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_agency_officer, is_supply_coop
from accounts.choices import Role
from agencies.models import DutyRule, ProblemCategory
from agencies.routing import route
from inspections.models import PatrolPlan, PatrolTask
from inspections.patrols import assign_patrol_task, save_patrol_plan, unassigned_patrol_tasks
from inspections.services import FindingInput, file_inspection
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_operator, make_site, make_user

pytestmark = pytest.mark.django_db


def _task(site, *, worker=None, plan=None):
    plan = plan or PatrolPlan.objects.create(name="月巡", status="operating", frequency="monthly")
    today = timezone.localdate()
    return PatrolTask.objects.create(
        plan=plan,
        site=site,
        township=site.township,
        period_start=today.replace(day=1),
        due_on=today + dt.timedelta(days=10),
        assigned_to=worker,
    )


@pytest.fixture
def two_unassigned(commerce_admin):
    dipu_site = make_site(actor=commerce_admin)
    changshuo_site = make_site(actor=commerce_admin, township_code=CHANGSHUO)
    plan = PatrolPlan.objects.create(name="月巡", status="operating", frequency="monthly")
    return _task(dipu_site, plan=plan), _task(changshuo_site, plan=plan)


# 社会治理中心 -------------------------------------------------------------------------------------


def test_grid_workers_belong_to_the_centre_as_well_as_their_township(dipu_grid_worker):
    assert dipu_grid_worker.agency.code == "governance"
    assert dipu_grid_worker.township.code == DIPU


def test_centre_staff_belong_to_the_centre_and_no_other_agency(db):
    from accounts.services import assign_role
    from agencies.models import Agency

    staff = make_user(Role.GOVERNANCE_STAFF)
    assert staff.agency.code == "governance"
    assert is_agency_officer(staff)
    with pytest.raises(ValidationError):
        police = Agency.objects.get(code="police")
        assign_role(user=staff, role=Role.GOVERNANCE_STAFF, agency=police)


def test_centre_reads_every_townships_inspection_reports(client, commerce_admin, governance_staff):
    changshuo_worker = make_user(Role.GRID_WORKER, township_code=CHANGSHUO)
    site = make_site(actor=commerce_admin, township_code=CHANGSHUO)
    inspection = file_inspection(
        site=site, inspector=changshuo_worker, result="passed", findings=[]
    )
    client.force_login(governance_staff)
    listed = client.get(reverse("inspections:inspection-list")).context["object_list"]
    assert inspection in list(listed)
    detail = reverse("inspections:inspection-detail", args=[inspection.pk])
    assert client.get(detail).status_code == 200


def test_centre_edits_patrol_plans_a_police_officer_does_not(client, governance_staff, db):
    plan = PatrolPlan.objects.create(name="周巡", status="rectifying", frequency="weekly")
    plan.frequency = "monthly"
    save_patrol_plan(plan=plan, actor=governance_staff)
    assert PatrolPlan.objects.get(pk=plan.pk).frequency == "monthly"
    police = make_user(Role.AGENCY_OFFICER, agency_code="police")
    with pytest.raises(PermissionDenied):
        save_patrol_plan(plan=plan, actor=police)
    client.force_login(governance_staff)
    edit = reverse("inspections:patrol-plan-edit", args=[plan.pk])
    assert client.get(edit).status_code == 200
    client.force_login(police)
    assert client.get(edit).status_code == 403


def test_unassigned_tasks_are_listed_county_wide_for_the_centre_and_per_township(
    client, two_unassigned, governance_staff, dipu_officer, dipu_grid_worker
):
    dipu_task, changshuo_task = two_unassigned
    assert set(unassigned_patrol_tasks(user=governance_staff)) == {dipu_task, changshuo_task}
    assert set(unassigned_patrol_tasks(user=dipu_officer)) == {dipu_task}
    client.force_login(governance_staff)
    page = client.get(reverse("inspections:patrol-unassigned"))
    assert set(page.context["tasks"]) == {dipu_task, changshuo_task}
    client.force_login(dipu_officer)
    assert client.get(reverse("inspections:patrol-unassigned")).context["tasks"] == [dipu_task]
    client.force_login(dipu_grid_worker)
    assert client.get(reverse("inspections:patrol-unassigned")).status_code == 403


def test_centre_assigns_tasks_in_any_township_to_that_townships_grid_worker(
    client, two_unassigned, governance_staff, dipu_officer, dipu_grid_worker
):
    dipu_task, changshuo_task = two_unassigned
    changshuo_worker = make_user(Role.GRID_WORKER, township_code=CHANGSHUO)
    # A township officer cannot give out another township's task.
    with pytest.raises(PermissionDenied):
        assign_patrol_task(task=changshuo_task, worker=changshuo_worker, actor=dipu_officer)
    client.force_login(governance_staff)
    client.post(
        reverse("inspections:patrol-task-assign", args=[changshuo_task.pk]),
        {"worker": changshuo_worker.pk},
    )
    assert PatrolTask.objects.get(pk=changshuo_task.pk).assigned_to == changshuo_worker
    assert changshuo_worker.notifications.count() == 1
    # A worker of another township is refused, in Chinese, and nothing changes.
    with pytest.raises(ValidationError):
        assign_patrol_task(task=dipu_task, worker=changshuo_worker, actor=governance_staff)
    # An assigned task can be given to another of its township's workers (one is away, say).
    relief = make_user(Role.GRID_WORKER, township_code=CHANGSHUO)
    assign_patrol_task(task=changshuo_task, worker=relief, actor=governance_staff)
    assert PatrolTask.objects.get(pk=changshuo_task.pk).assigned_to == relief
    assert relief.notifications.count() == 1
    assign_patrol_task(task=dipu_task, worker=dipu_grid_worker, actor=dipu_officer)
    assert PatrolTask.objects.get(pk=dipu_task.pk).assigned_to == dipu_grid_worker


def test_grid_roster_page_and_export_are_scoped(
    client, commerce_admin, governance_staff, dipu_officer, dipu_grid_worker, market_officer
):
    changshuo_worker = make_user(Role.GRID_WORKER, township_code=CHANGSHUO)
    _task(make_site(actor=commerce_admin), worker=dipu_grid_worker)
    _task(make_site(actor=commerce_admin, township_code=CHANGSHUO), worker=changshuo_worker)

    def exported(user):
        client.force_login(user)
        response = client.get(reverse("inspections:grid-roster-export"))
        assert response.status_code == 200
        content = b"".join(getattr(response, "streaming_content", [])) or response.content
        book = openpyxl.load_workbook(io.BytesIO(content))
        workers = [row[2] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)]
        sites = [row[2] for row in book.worksheets[1].iter_rows(min_row=3, values_only=True)]
        return workers, sites

    workers, sites = exported(governance_staff)
    assert set(workers) == {dipu_grid_worker.username, changshuo_worker.username}
    assert len(sites) == 2
    workers, sites = exported(dipu_officer)
    assert workers == [dipu_grid_worker.username]
    assert len(sites) == 1
    client.force_login(governance_staff)
    page = client.get(reverse("inspections:grid-roster"))
    assert {w.username for w in page.context["workers"]} == set(
        [dipu_grid_worker.username, changshuo_worker.username]
    )
    for outsider in (market_officer, dipu_grid_worker):
        client.force_login(outsider)
        assert client.get(reverse("inspections:grid-roster")).status_code == 403
        assert client.get(reverse("inspections:grid-roster-export")).status_code == 403


def test_roster_page_runs_a_fixed_number_of_queries(
    client, governance_staff, django_assert_max_num_queries
):
    for n in range(5):
        make_user(Role.GRID_WORKER, township_code=DIPU, username=f"grid{n}")
    client.force_login(governance_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("inspections:grid-roster")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("inspections:patrol-unassigned")).status_code == 200


# 供销联社 -----------------------------------------------------------------------------------------


def test_is_supply_coop(coop_staff, market_officer, commerce_admin):
    assert is_supply_coop(coop_staff)
    assert not is_supply_coop(market_officer)
    assert not is_supply_coop(commerce_admin)
    assert coop_staff.agency.code == "coop"


def test_coop_sees_its_enterprises_and_their_sites_county_wide(
    client, api_client, commerce_admin, coop_staff
):
    own = make_operator(actor=commerce_admin, seed=11, is_coop_enterprise=True)
    other = make_operator(actor=commerce_admin, seed=12, township_code=CHANGSHUO)
    site = make_site(actor=commerce_admin, township_code=CHANGSHUO, operator=own)
    client.force_login(coop_staff)
    listed = list(client.get(reverse("sites:operator-list")).context["object_list"])
    assert listed == [own]
    assert client.get(reverse("sites:operator-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("sites:site-detail", args=[site.pk])).status_code == 200
    api_client.force_authenticate(coop_staff)
    ids = [row["id"] for row in api_client.get("/api/v1/operators/").json()["results"]]
    assert ids == [own.pk]


def test_centre_and_market_problems_go_to_the_coop_with_the_annexs_duty(commerce_admin, coop_staff):
    category = ProblemCategory.objects.get(code="centre_market")
    rule = DutyRule.objects.get(category=category, is_active=True)
    assert rule.lead_agency.code == "coop"
    assert "交易市场的规范化管理" in rule.note
    site = make_site(actor=commerce_admin, tier=1, venue_type="trading_market")
    assert route(category=category, township=site.township).lead_agency.code == "coop"
    grid = make_user(Role.GRID_WORKER, township_code=DIPU)
    inspection = file_inspection(
        site=site,
        inspector=grid,
        result="problems",
        findings=[FindingInput(category=category, description="交易市场无台账")],
    )
    case = inspection.findings.get().case
    from inspections.models import Case

    assert case in Case.objects.visible_to(coop_staff)


# 行业协会 -----------------------------------------------------------------------------------------


def test_association_reads_the_registry_not_cases_or_reports(client, api_client, association):
    client.force_login(association)
    assert client.get(reverse("sites:operator-list")).status_code == 200
    for name in ("inspections:case-list", "inspections:inspection-list"):
        response = client.get(reverse(name))
        assert response.status_code == 403 or not list(response.context["object_list"])
    api_client.force_authenticate(association)
    assert api_client.get("/api/v1/cases/").status_code == 403
    assert api_client.get("/api/v1/inspections/").status_code == 403
