"""我的待办: each role's home page lists what waits on it, read from the workflows' policies,
inside the user's scope, in a fixed number of queries; a grid worker lands on 我的巡查."""

import pytest
from django.urls import reverse

from agencies.models import Village
from inspections.choices import CaseAction, RequestKind
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
