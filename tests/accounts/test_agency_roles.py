"""The social governance centre, the supply and marketing co-op and the industry association:
what each sees and does across pages, API and exports."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.access import is_agency_officer, is_supply_coop
from accounts.choices import Role
from agencies.models import DutyRule, ProblemCategory
from agencies.routing import route
from inspections.models import PatrolPlan, PatrolTask
from inspections.patrols import assign_patrol_task, save_patrol_plan, unassigned_patrol_tasks
from inspections.services import FindingInput, file_inspection
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_operator, make_patrol_task, make_site, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_unassigned(commerce_admin):
    dipu_site = make_site(actor=commerce_admin)
    changshuo_site = make_site(actor=commerce_admin, township_code=CHANGSHUO)
    plan = PatrolPlan.objects.create(name="月巡", status="operating", frequency="monthly")
    return make_patrol_task(dipu_site, plan=plan), make_patrol_task(changshuo_site, plan=plan)


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
    make_patrol_task(make_site(actor=commerce_admin), worker=dipu_grid_worker)
    make_patrol_task(
        make_site(actor=commerce_admin, township_code=CHANGSHUO), worker=changshuo_worker
    )

    def exported(user):
        client.force_login(user)
        response = client.get(reverse("inspections:grid-roster-export"))
        assert response.status_code == 200
        content = b"".join(getattr(response, "streaming_content", [])) or response.content
        book = openpyxl.load_workbook(io.BytesIO(content))
        # row[0] is the 序号, then township, name, username / township, grid worker, site number
        workers = [row[3] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)]
        sites = [row[3] for row in book.worksheets[1].iter_rows(min_row=3, values_only=True)]
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


# Scope across pages, API and exports: each body sees its own and nothing more -------------------


def _xlsx_rows(response, sheet=0, min_row=2):
    assert response.status_code == 200
    content = b"".join(getattr(response, "streaming_content", [])) or response.content
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        r for r in book.worksheets[sheet].iter_rows(min_row=min_row, values_only=True) if any(r)
    ]


def _case_in(category_code, *, commerce_admin, township_code=DIPU):
    site = make_site(actor=commerce_admin, township_code=township_code)
    grid = make_user(Role.GRID_WORKER, township_code=township_code)
    category = ProblemCategory.objects.get(code=category_code)
    inspection = file_inspection(
        site=site,
        inspector=grid,
        result="problems",
        findings=[FindingInput(category=category, description="现场发现问题")],
    )
    return inspection.findings.get().case


def test_coop_exports_only_its_enterprises_and_reads_no_other_operators_private_data(
    client, api_client, commerce_admin, coop_staff
):
    own = make_operator(actor=commerce_admin, seed=31, is_coop_enterprise=True)
    other = make_operator(actor=commerce_admin, seed=32, township_code=CHANGSHUO)
    client.force_login(coop_staff)
    rows = _xlsx_rows(client.get(reverse("sites:operator-export")))
    codes = {cell for row in rows for cell in row}
    assert own.credit_code in codes
    assert other.credit_code not in codes
    api_client.force_authenticate(coop_staff)
    assert api_client.get(f"/api/v1/operators/{other.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/operators/{own.pk}/").status_code == 200


def test_coop_reads_only_the_cases_of_its_duty_categories(
    client, api_client, commerce_admin, coop_staff
):
    its_own = _case_in("centre_market", commerce_admin=commerce_admin)
    elsewhere = _case_in("fire_hazard", commerce_admin=commerce_admin)
    assert its_own.lead_agency.code == "coop"
    assert elsewhere.lead_agency.code != "coop"
    client.force_login(coop_staff)
    listed = list(client.get(reverse("inspections:case-list")).context["object_list"])
    assert listed == [its_own]
    assert client.get(elsewhere.get_absolute_url()).status_code in (403, 404)
    api_client.force_authenticate(coop_staff)
    ids = [row["id"] for row in api_client.get("/api/v1/cases/").json()["results"]]
    assert ids == [its_own.pk]
    ledger = _xlsx_rows(client.get(reverse("inspections:case-ledger")), min_row=1)
    cells = {cell for row in ledger for cell in row}
    assert its_own.number in cells
    assert elsewhere.number not in cells


def test_centre_reads_only_its_own_cases_not_other_agencies(
    client, api_client, commerce_admin, governance_staff
):
    elsewhere = _case_in("fire_hazard", commerce_admin=commerce_admin)
    client.force_login(governance_staff)
    assert elsewhere not in list(
        client.get(reverse("inspections:case-list")).context["object_list"]
    )
    assert client.get(elsewhere.get_absolute_url()).status_code in (403, 404)
    api_client.force_authenticate(governance_staff)
    assert elsewhere.pk not in [r["id"] for r in api_client.get("/api/v1/cases/").json()["results"]]


@pytest.mark.parametrize("role_fixture", ["coop_staff", "governance_staff", "association"])
def test_the_bodies_enter_no_assessment_deduction_and_no_support_record(
    request, client, commerce_admin, role_fixture
):
    from accounts.access import enters_deductions, records_land_support, records_subsidies
    from assessments.choices import PeriodKind
    from assessments.models import AssessmentScheme
    from assessments.services import open_period

    user = request.getfixturevalue(role_fixture)
    assert not enters_deductions(user)
    assert not records_subsidies(user)
    assert not records_land_support(user)
    scheme = AssessmentScheme.objects.get(code="long-term-management", version=1)
    period = open_period(
        scheme=scheme, kind=PeriodKind.QUARTER, year=2026, quarter=1, actor=commerce_admin
    )
    client.force_login(user)
    create = reverse("assessments:deduction-create", args=[period.pk])
    assert client.get(create).status_code in (403, 404)
    assert client.post(create, {"points": "1", "reason": "x"}).status_code in (403, 404)
    for name in ("support:subsidy-create", "support:land-create"):
        assert client.get(reverse(name)).status_code == 403


def test_coop_manages_network_projects_county_wide_a_township_only_its_own(
    client, api_client, commerce_admin, coop_staff, dipu_officer
):
    from agencies.models import Township
    from network.models import NetworkProject
    from tests.network.conftest import make_project

    changshuo = Township.objects.get(code=CHANGSHUO)
    project = make_project(actor=coop_staff, township=changshuo, kind="centre")
    assert project in NetworkProject.objects.editable_by(coop_staff)
    assert project not in NetworkProject.objects.editable_by(dipu_officer)
    client.force_login(coop_staff)
    assert client.get(reverse("network:project-update", args=[project.pk])).status_code == 200
    rows = _xlsx_rows(client.get(reverse("network:project-export")), min_row=1)
    assert any(project.name in row for row in rows)
    client.force_login(dipu_officer)
    assert client.get(reverse("network:project-update", args=[project.pk])).status_code in (
        403,
        404,
    )


def test_association_reads_no_support_records_or_publicity(
    client, api_client, commerce_admin, association
):
    from tests.factories import make_subsidy

    operator = make_operator(actor=commerce_admin, seed=41)
    make_subsidy(actor=commerce_admin, operator=operator)
    client.force_login(association)
    for name in ("support:subsidy-list", "support:land-list", "support:publicity-list"):
        response = client.get(reverse(name))
        assert response.status_code == 403 or not list(response.context["object_list"])
    api_client.force_authenticate(association)
    for path in ("subsidies", "land-support-cases", "publicity-activities"):
        response = api_client.get(f"/api/v1/{path}/")
        assert response.status_code == 403 or response.json()["results"] == []
    response = client.get(reverse("support:summary-export"))
    if response.status_code == 200:
        rows = _xlsx_rows(response, min_row=1)
        assert not any(operator.name in row for row in rows)
    else:
        assert response.status_code == 403
