"""我的待办: each role's home page lists what waits on it, read from the workflows' policies,
inside the user's scope, in a fixed number of queries; a grid worker lands on 我的巡查."""

import random

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agencies.models import Village
from dashboards.todo import SHOWN, WAITING_ACTIONS
from inspections import synthetic
from inspections.choices import OPEN_STATUSES, CaseAction, CaseStatus, RequestKind
from inspections.models import Case
from inspections.policy import CASE_POLICY
from inspections.services import request_more_time, transition_case
from tests.factories import make_site
from tests.inspections.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def dipu_cases(commerce_admin, dipu_grid_worker):
    """A fire hazard and unlicensed trading at a site in 长乐社区 (递铺), as reported."""
    site = make_site(actor=commerce_admin, village=Village.objects.get(code="330523001018"))
    return report(site, dipu_grid_worker, "fire_hazard", "unlicensed")


@pytest.fixture
def rural_case(commerce_admin):
    """A case at a site in 余村 (天荒坪镇), as reported."""
    village = Village.objects.get(name="余村村委会")
    site = make_site(actor=commerce_admin, township_code=village.township.code, village=village)
    (case,) = report(site, commerce_admin, "appearance")
    return case


def _waiting_cases(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {case: actions for case, actions in response.context["todo"]["cases"].rows}


def test_a_grid_worker_lands_on_their_patrols(client, dipu_grid_worker):
    client.force_login(dipu_grid_worker)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("inspections:patrol-mine")


def test_reported_cases_wait_on_the_township_and_the_commerce_bureau(
    client, dipu_officer, commerce_admin, dipu_cases, rural_case
):
    assert set(_waiting_cases(client, dipu_officer)) == set(dipu_cases)
    waiting = _waiting_cases(client, commerce_admin)
    assert set(waiting) == {*dipu_cases, rural_case}
    assert "立案" in waiting[rural_case]


def test_a_dispatched_case_waits_on_its_lead_agency_only(
    client, dipu_officer, commerce_admin, market_officer, dipu_cases
):
    fire_case, market_case = dipu_cases
    assert _waiting_cases(client, market_officer) == {}
    market_case = transition_case(case=market_case, action=CaseAction.REGISTER, actor=dipu_officer)
    transition_case(case=market_case, action=CaseAction.DISPATCH, actor=dipu_officer)

    assert set(_waiting_cases(client, market_officer)) == {market_case}
    assert market_case not in _waiting_cases(client, dipu_officer)


def test_a_request_for_more_time_waits_on_the_commerce_bureau(
    client, dipu_officer, commerce_admin, market_officer, dipu_cases
):
    _fire_case, case = dipu_cases
    case = transition_case(case=case, action=CaseAction.REGISTER, actor=dipu_officer)
    case = transition_case(case=case, action=CaseAction.DISPATCH, actor=dipu_officer)
    request = request_more_time(
        case=case, kind=RequestKind.EXTENSION, days=3, reason="需要补充检测", actor=market_officer
    )
    client.force_login(commerce_admin)
    todo = client.get(reverse("home")).context["todo"]
    assert todo["requests"].rows == [request]
    client.force_login(market_officer)
    assert client.get(reverse("home")).context["todo"]["requests"].rows == []


@pytest.mark.parametrize(
    "role", ["commerce_admin", "township_officer", "agency_officer", "assessor", "leader"]
)
def test_the_todo_home_runs_a_fixed_number_of_queries(
    client, users_by_role, role, dipu_cases, rural_case, django_assert_max_num_queries
):
    client.force_login(users_by_role[role])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "我的待办" in response.content.decode()
    assert reverse("dashboards:dashboard") in response.content.decode()


def _home_reads(client, user):
    """The home page's 我的待办, its queries, and the most rows a query on the cases read."""
    reads = []

    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        reads.append((sql, context["cursor"].rowcount))
        return result

    client.force_login(user)
    with connection.execute_wrapper(record):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    case_rows = [
        rows
        for sql, rows in reads
        if sql.lstrip().startswith("SELECT") and 'FROM "inspections_case"' in sql
    ]
    return response.context["todo"], len(reads), max(case_rows, default=0)


def test_the_waiting_cases_are_read_bounded_however_many_wait(
    client, commerce_admin, dipu_officer, market_officer, dipu, monkeypatch
):
    """With dozens of open cases waiting on each (a small county's seeding, its open cases
    moved to 递铺 and to where each person acts) the home page reads at most SHOWN cases a
    query, and as many queries as with none but a COUNT for each section that overflows: the
    database filters by the policy, counts and cuts."""
    people = {"commerce": commerce_admin, "township": dipu_officer, "agency": market_officer}
    few = {who: _home_reads(client, user)[1] for who, user in people.items()}
    monkeypatch.setattr(synthetic, "POINTS_PER_TOWNSHIP", 3)
    monkeypatch.setattr(synthetic, "REPORTS", 4000)
    synthetic.seed_at_scale(
        scale=1, actor=commerce_admin, rng=random.Random(3), today=timezone.localdate(), log=str
    )
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    for who, status, lead in [
        ("commerce", CaseStatus.REPORTED, None),
        ("township", CaseStatus.REPORTED, None),
        ("agency", CaseStatus.DISPATCHED, market_officer.agency),
    ]:
        open_cases.update(township=dipu, status=status, lead_agency=lead)
        user = people[who]
        client.logout()
        todo, queries, case_rows = _home_reads(client, user)
        waiting = [
            case
            for case in Case.objects.filter(status__in=OPEN_STATUSES).prefetch_related(
                "parts", "assisting_agencies"
            )
            if set(CASE_POLICY.allowed_actions(case, user)) & WAITING_ACTIONS
        ]
        assert todo["cases"].count == len(waiting) > 2 * SHOWN, who
        assert len(todo["cases"].rows) == SHOWN
        assert {case for case, _actions in todo["cases"].rows} <= set(waiting)
        assert case_rows <= SHOWN, who
        # Each section adds at most its COUNT when it overflows.
        assert queries <= few[who] + len(todo), who
