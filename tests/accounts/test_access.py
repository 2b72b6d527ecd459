"""Every role predicate in one place: who a user is, and whom to notify."""

import pytest

from accounts import access
from accounts.choices import Role
from accounts.selectors import officers_to_notify, township_people
from tests.factories import make_user

DIPU = "330523001"

# (role, scope) → the predicates that hold; every other predicate is false.
CASES = [
    (
        Role.COMMERCE_ADMIN,
        {"agency_code": "commerce"},
        {"is_county_admin", "reads_whole_county", "follows_open_patrol_tasks"},
    ),
    (
        Role.TOWNSHIP_OFFICER,
        {"township_code": DIPU},
        {"is_township_officer", "is_township_user", "follows_open_patrol_tasks"},
    ),
    (
        Role.GRID_WORKER,
        {"township_code": DIPU},
        {"is_grid_worker", "is_township_user", "follows_open_patrol_tasks"},
    ),
    (Role.AGENCY_OFFICER, {"agency_code": "market"}, {"is_agency_officer"}),
    (Role.ASSESSOR, {"agency_code": "supervision"}, {"reads_whole_county"}),
    (Role.LEADER, {}, {"reads_whole_county"}),
]
PREDICATES = [
    "is_county_admin",
    "is_agency_officer",
    "is_township_officer",
    "is_grid_worker",
    "is_township_user",
    "reads_whole_county",
    "follows_open_patrol_tasks",
]


@pytest.mark.parametrize(("role", "scope", "holding"), CASES)
def test_each_role_answers_its_own_predicates_only(db, role, scope, holding):
    user = make_user(role, **scope)
    assert {name for name in PREDICATES if getattr(access, name)(user)} == holding
    assert access.has_role(user)
    assert access.enters_deductions(user) == (role in (Role.COMMERCE_ADMIN, Role.ASSESSOR))


def test_an_inactive_officer_holds_no_role(db):
    user = make_user(Role.AGENCY_OFFICER, agency_code="market", is_active=False)
    assert not access.is_agency_officer(user)
    assert not access.is_officer_of_agency(user, user.agency_id)


def test_officer_of_an_agency_or_township_is_about_that_one(db):
    market = make_user(Role.AGENCY_OFFICER, agency_code="market")
    dipu = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    grid = make_user(Role.GRID_WORKER, township_code=DIPU)
    assert access.is_officer_of_agency(market, market.agency_id)
    assert not access.is_officer_of_agency(market, None)
    assert not access.is_officer_of_agency(market, market.agency_id + 1)
    assert access.is_officer_of_township(dipu, dipu.township_id)
    assert not access.is_officer_of_township(grid, grid.township_id)
    assert access.agency_scope(market) == market.agency_id
    assert access.agency_scope(dipu) is None
    assert access.assessed_township_id(grid) == grid.township_id


def test_officers_to_notify_are_the_active_officers_of_each_unit(db):
    market = make_user(Role.AGENCY_OFFICER, agency_code="market")
    make_user(Role.AGENCY_OFFICER, agency_code="market", is_active=False)
    fire = make_user(Role.AGENCY_OFFICER, agency_code="fire")
    dipu = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    grid = make_user(Role.GRID_WORKER, township_code=DIPU)
    office = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")

    by_agency = officers_to_notify(agency_ids=[market.agency_id, fire.agency_id])
    assert by_agency == {market.agency_id: [market], fire.agency_id: [fire]}
    assert officers_to_notify(township_ids=[dipu.township_id]) == {dipu.township_id: [dipu]}
    grid_workers = officers_to_notify(township_ids=[dipu.township_id], role=Role.GRID_WORKER)
    assert grid_workers == {dipu.township_id: [grid]}
    assert officers_to_notify() == {None: [office]}
    assert list(township_people()) == [dipu, grid]
