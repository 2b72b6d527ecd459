"""The dashboard's figures against the hand-built county of conftest.py (20 May 2026)."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.choices import Role
from agencies.models import Agency, ProblemCategory, Village
from dashboards.choices import DashboardKind, PeriodKind
from dashboards.periods import Period
from dashboards.selectors import dashboard_data, dashboard_headlines
from tests.conftest import DIPU
from tests.factories import make_user

from .conftest import ANJI, TODAY, make_case

pytestmark = pytest.mark.django_db

MAY = Period(kind=PeriodKind.MONTH, year=2026, number=5)
Q2 = Period(kind=PeriodKind.QUARTER, year=2026, number=2)
YEAR = Period(kind=PeriodKind.YEAR, year=2026)


def by_name(groups):
    return {group.name: group for group in groups}


def test_county_sites_by_tier_and_status(county, leader):
    sites = dashboard_headlines(user=leader, period=MAY, today=TODAY).sites

    assert sites.total == 6
    tiers = {row.tier: (row.total, row.operating) for row in sites.by_tier}
    assert tiers == {1: (0, 0), 2: (1, 1), 3: (5, 2)}
    assert {row.status: row.count for row in sites.by_status} == {
        "planned": 1,
        "operating": 3,
        "rectifying": 1,
        "illegal": 1,
    }
    assert sites.illegal_points == 1
    collection_points = next(row for row in sites.by_tier_and_status if row.tier == 3)
    assert {cell.status: cell.count for cell in collection_points.by_status}["operating"] == 2
    assert "tier=3" in collection_points.url


def test_county_sites_by_township_list_every_township(county, leader, dipu):
    sites = dashboard_headlines(user=leader, period=MAY, today=TODAY).sites

    assert len(sites.by_township) == 15
    dipu_row = next(row for row in sites.by_township if row.township_id == dipu.pk)
    assert dipu_row.total == 4
    assert [tier.total for tier in dipu_row.by_tier] == [0, 1, 3]
    assert f"township={dipu.pk}" in dipu_row.url


def test_county_coverage_against_the_years_target(county, leader):
    coverage = dashboard_headlines(user=leader, period=MAY, today=TODAY).coverage

    villages = Village.objects.filter(is_active=True).count()
    assert coverage.year == 2026
    assert coverage.served_village_count == 2
    assert coverage.village_count == villages
    assert coverage.unserved_village_count == villages - 2
    assert coverage.target_percent == Decimal(100)
    assert coverage.meets_target is False
    assert coverage.townships_with_transfer_station == 1
    assert coverage.township_count == 15
    assert coverage.url.endswith("?year=2026")


def test_county_case_figures_in_may(county, leader):
    cases = dashboard_headlines(user=leader, period=MAY, today=TODAY).cases

    assert cases.open == 3  # c1, c2, c5
    assert cases.overdue == 2  # c1, c5
    assert cases.reported == 3  # c1, c2, c5
    assert cases.closed == 2  # c3, c4
    assert cases.closed_on_time == 1  # c3
    assert cases.on_time_percent == Decimal("50.0")


def test_a_longer_period_counts_more_reported_and_closed_cases(county, leader):
    quarter = dashboard_headlines(user=leader, period=Q2, today=TODAY).cases
    year = dashboard_headlines(user=leader, period=YEAR, today=TODAY).cases

    assert (quarter.reported, quarter.closed, quarter.closed_on_time) == (4, 2, 1)
    assert (year.reported, year.closed, year.closed_on_time) == (6, 3, 2)
    assert year.on_time_percent == Decimal("66.7")
    # Open and overdue are as of today, whatever the period.
    assert (quarter.open, quarter.overdue) == (year.open, year.overdue) == (3, 2)


def test_no_closure_means_no_on_time_rate(county, leader):
    april = Period(kind=PeriodKind.MONTH, year=2026, number=4)
    cases = dashboard_headlines(user=leader, period=april, today=TODAY).cases

    assert cases.closed == 0
    assert cases.on_time_percent is None


def test_patrols_done_on_cadence(county, leader):
    patrols = dashboard_headlines(user=leader, period=MAY, today=TODAY).patrols

    # The station's task is due on 31 May and still open on the 20th: not late yet, not counted.
    assert (patrols.due, patrols.done, patrols.overdue) == (2, 1, 1)
    assert patrols.on_cadence_percent == Decimal("50.0")


def test_patrol_tasks_not_yet_due_do_not_lower_the_rate(county, leader):
    early = dashboard_headlines(user=leader, period=MAY, today=dt.date(2026, 5, 2)).patrols
    later = dashboard_headlines(user=leader, period=MAY, today=dt.date(2026, 6, 1)).patrols

    assert (early.due, early.done, early.overdue) == (1, 1, 0)
    assert early.on_cadence_percent == Decimal("100.0")
    assert (later.due, later.done, later.overdue) == (3, 1, 2)


def test_cases_by_category_in_may(county, leader):
    groups = by_name(dashboard_data(user=leader, period=MAY, today=TODAY).cases_by_category)

    pollution, fire, unlicensed = (
        ProblemCategory.objects.get(code=code).name
        for code in ("pollution", "fire_hazard", "unlicensed")
    )
    assert set(groups) == {pollution, fire, unlicensed}  # closed c4, c6: nothing in May
    assert (groups[pollution].reported, groups[pollution].open, groups[pollution].overdue) == (
        1,
        1,
        1,
    )
    assert (groups[fire].reported, groups[fire].open, groups[fire].overdue) == (1, 1, 0)
    assert (groups[unlicensed].reported, groups[unlicensed].overdue) == (1, 1)
    category_id = groups[unlicensed].id
    assert f"category={category_id}" in groups[unlicensed].url
    assert "reported_after=2026-05-01" in groups[unlicensed].url
    assert "reported_before=2026-05-31" in groups[unlicensed].url


def test_cases_by_lead_agency_with_the_township_as_one_group(county, leader):
    data = dashboard_data(user=leader, period=YEAR, today=TODAY)
    groups = by_name(data.cases_by_lead_agency)

    market = Agency.objects.get(code="market")
    assert groups[market.name].reported == 2  # c3, c5
    assert groups[market.name].overdue == 1  # c5
    assert f"lead_agency={market.pk}" in groups[market.name].overdue_url
    township = next(group for group in data.cases_by_lead_agency if group.id is None)
    assert township.reported == 1  # c4: poor management, the township leads
    assert "lead_agency=null" in township.url


def test_monthly_trend_of_the_twelve_months_ending_with_the_period(county, leader):
    trend = dashboard_data(user=leader, period=MAY, today=TODAY).trend

    assert [month.month for month in trend][0] == "2025-06"
    assert [month.month for month in trend][-1] == "2026-05"
    months = {month.month: month for month in trend}
    assert [months[m].reported for m in ("2026-01", "2026-03", "2026-04", "2026-05")] == [
        1,
        1,
        1,
        3,
    ]
    assert (months["2026-05"].closed, months["2026-05"].closed_on_time) == (2, 1)
    assert months["2026-05"].on_time_percent == Decimal("50.0")
    assert (months["2026-02"].closed, months["2026-02"].on_time_percent) == (1, Decimal("100.0"))
    assert months["2025-12"].on_time_percent is None
    assert "closed_after=2026-02-01" in months["2026-02"].closed_url


def test_months_are_months_in_anji(county, leader):
    """1 May 07:00 in Anji is still 30 April in UTC: the case counts in May."""
    site = county["c1"].site
    make_case(
        site=site,
        category="special_equipment",
        status="reported",
        reported_at=dt.datetime(2026, 5, 1, 7, 0, tzinfo=ANJI),
        reporter=leader,
    )
    april = Period(kind=PeriodKind.MONTH, year=2026, number=4)

    assert dashboard_headlines(user=leader, period=april, today=TODAY).cases.reported == 1
    assert dashboard_headlines(user=leader, period=MAY, today=TODAY).cases.reported == 4
    trend = {m.month: m for m in dashboard_data(user=leader, period=MAY, today=TODAY).trend}
    assert (trend["2026-04"].reported, trend["2026-05"].reported) == (1, 4)


# Scoping ----------------------------------------------------------------------------------------


def test_township_officer_sees_only_their_township(county, dipu_officer, dipu):
    data = dashboard_data(user=dipu_officer, period=MAY, today=TODAY)
    headlines = data.headlines

    assert headlines.scope.kind == DashboardKind.TOWNSHIP
    assert headlines.scope.township == dipu
    assert headlines.sites.total == 4
    assert [row.township_id for row in headlines.sites.by_township] == [dipu.pk]
    assert headlines.coverage.township_count == 1
    assert headlines.coverage.served_village_count == 1
    assert (headlines.cases.open, headlines.cases.overdue, headlines.cases.reported) == (2, 1, 2)
    assert (headlines.cases.closed, headlines.cases.closed_on_time) == (2, 1)
    assert (headlines.patrols.due, headlines.patrols.done, headlines.patrols.overdue) == (1, 1, 0)
    assert sum(group.reported for group in data.cases_by_category) == 2


def test_grid_worker_sees_their_township(county, dipu_grid_worker):
    headlines = dashboard_headlines(user=dipu_grid_worker, period=MAY, today=TODAY)

    assert headlines.scope.kind == DashboardKind.TOWNSHIP
    assert headlines.sites.total == 4


def test_agency_officer_sees_only_cases_routed_to_their_agency(county, market_officer):
    data = dashboard_data(user=market_officer, period=YEAR, today=TODAY)
    headlines = data.headlines

    assert headlines.scope.kind == DashboardKind.AGENCY
    assert headlines.scope.agency.code == "market"
    assert headlines.sites is None
    assert headlines.coverage is None
    assert headlines.patrols is None
    # c1 (assisting), c3 and c5 (lead): each once, although c1 joins the assisting agencies.
    assert (headlines.cases.open, headlines.cases.overdue) == (2, 2)
    assert (headlines.cases.reported, headlines.cases.closed) == (3, 1)
    assert sum(group.reported for group in data.cases_by_lead_agency) == 3
    assert sum(month.reported for month in data.trend) == 3


def test_an_agency_case_assisted_by_two_other_agencies_counts_once(county, market_officer):
    county["c5"].assisting_agencies.add(*Agency.objects.filter(code__in=["ecology", "fire"]))

    data = dashboard_data(user=market_officer, period=YEAR, today=TODAY)

    assert data.headlines.cases.reported == 3
    assert sum(group.reported for group in data.cases_by_category) == 3


@pytest.mark.parametrize("role", [Role.LEADER, Role.ASSESSOR, Role.COMMERCE_ADMIN])
def test_county_roles_see_the_county(county, users_by_role, role):
    headlines = dashboard_headlines(user=users_by_role[role], period=MAY, today=TODAY)

    assert headlines.scope.kind == DashboardKind.COUNTY
    assert headlines.sites.total == 6


def test_the_assessment_slot_is_empty_until_a_ranking_is_published(county, leader):
    assert dashboard_headlines(user=leader, period=MAY, today=TODAY).assessment is None


def test_a_township_with_no_data_has_zero_figures(frozen_today):
    officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    headlines = dashboard_headlines(user=officer, period=MAY, today=TODAY)

    assert headlines.sites.total == 0
    assert headlines.cases.open == 0
    assert headlines.cases.on_time_percent is None
    assert headlines.patrols.on_cadence_percent is None
