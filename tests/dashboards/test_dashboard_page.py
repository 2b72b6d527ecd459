"""The dashboard page (one click from 我的待办): it shows their scope's figures, each a
link to the list behind it; the period selector changes them; a fixed number of queries."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from agencies.models import Agency
from inspections.choices import CaseStatus
from tests.conftest import CHANGSHUO
from tests.factories import UserFactory, make_site

from .conftest import at, make_case

pytestmark = pytest.mark.django_db

# +2: the network projects (network.selectors); +1: the figure cache's write counter (a miss)
PAGE_QUERY_BUDGET = 17


def page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("dashboards:dashboard"), params)
    assert response.status_code == 200
    return response, response.content.decode()


def figure(html, name):
    """The big number of the card `data-figure=name`, and the card's link."""
    found = re.search(
        rf'<a class="card[^"]*" href="([^"]*)" data-figure="{name}">\s*'
        rf'<span class="figure">([^<]*)</span>',
        html,
    )
    assert found, f"no card {name}"
    return found.group(2).strip(), found.group(1).replace("&amp;", "&")


def test_leader_lands_on_the_county_dashboard(client, county, leader):
    response, html = page(client, leader)

    assert response.templates[0].name == "dashboards/dashboard.html"
    assert 'data-scope="county"' in html
    assert figure(html, "sites") == ("6", "/sites/")
    assert figure(html, "illegal-points") == ("1", "/sites/?status=illegal")
    assert figure(html, "open-cases") == ("3", "/cases/?open=true")
    assert figure(html, "overdue-cases") == ("2", "/cases/?overdue=true")
    assert figure(html, "reported-cases") == (
        "3",
        "/cases/?reported_after=2026-05-01&reported_before=2026-05-31",
    )
    assert figure(html, "on-time-rate") == (
        "50.0%",
        "/cases/?status=closed&closed_after=2026-05-01&closed_before=2026-05-31",
    )
    assert figure(html, "patrols") == ("50.0%", "/patrols/overview/")
    assert figure(html, "coverage")[1] == "/sites/coverage/?year=2026"
    assert figure(html, "unserved-villages")[1] == "/sites/coverage/?year=2026#unserved-villages"


def test_the_page_states_whose_data_and_which_period(client, county, leader):
    _response, html = page(client, leader)

    assert "2026-05-01" in html and "2026-05-31" in html
    assert '<option value="2026-05" selected>' in html


def test_the_period_selector_changes_the_figures_and_the_links(client, county, leader):
    _response, html = page(client, leader, period="2026")

    assert figure(html, "reported-cases") == (
        "6",
        "/cases/?reported_after=2026-01-01&reported_before=2026-12-31",
    )
    assert figure(html, "on-time-rate")[0] == "66.7%"
    assert '<option value="2026" selected>' in html
    assert 'data-url="/api/v1/dashboard/?period=2026"' in html


def test_a_wrong_period_shows_the_current_month_and_says_so(client, county, leader):
    _response, html = page(client, leader, period="2031-02")

    assert '<option value="2026-05" selected>' in html
    assert 'class="message error"' in html


def test_the_page_has_the_map_and_the_charts_with_their_data_source(client, county, leader):
    _response, html = page(client, leader)

    assert 'data-geojson="/api/v1/sites/geojson/"' in html
    assert 'data-overlay-geojson="/api/v1/coverage/unserved-villages/?year=2026"' in html
    for chart in [
        "sitesByTownship",
        "casesByCategory",
        "casesByAgency",
        "trend",
        "overdueByAgency",
    ]:
        assert f'data-chart="{chart}"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "<script>" not in html  # CSP: every script is a file with the nonce


def test_the_sites_table_links_every_count_to_the_filtered_list(client, county, leader):
    _response, html = page(client, leader)

    assert 'href="/sites/?tier=3&amp;status=operating">2</a>' in html
    assert 'href="/sites/?tier=3">5</a>' in html


def test_township_officer_lands_on_their_townships_dashboard(client, county, dipu_officer):
    _response, html = page(client, dipu_officer)

    assert 'data-scope="township"' in html
    assert "递铺街道" in html
    assert figure(html, "sites")[0] == "4"
    assert figure(html, "open-cases")[0] == "2"
    assert figure(html, "overdue-cases")[0] == "1"


def test_agency_officer_lands_on_their_agencys_cases(client, county, market_officer):
    _response, html = page(client, market_officer, period="2026")

    assert 'data-scope="agency"' in html
    assert Agency.objects.get(code="market").name in html
    assert figure(html, "open-cases")[0] == "2"
    assert figure(html, "reported-cases")[0] == "3"
    assert 'data-figure="sites"' not in html
    assert 'data-layer="sites"' not in html
    assert 'data-chart="sitesByTownship"' not in html


def test_the_assessment_slot_says_none_is_published(client, county, leader):
    _response, html = page(client, leader)

    assert 'data-figure="assessment"' in html
    assert "No published assessment yet" in html or "尚无已发布的考核结果" in html


def test_an_empty_township_says_what_to_do_next(client, dipu_officer):
    _response, html = page(client, dipu_officer)

    assert 'class="empty-state"' in html
    assert reverse("sites:site-create") in html


def test_an_account_without_a_role_sees_the_organisation_summary(client):
    user = UserFactory()
    user.save()

    client.force_login(user)
    html = client.get(reverse("home")).content.decode()

    assert "data-scope" not in html


def test_the_dashboard_has_its_own_address(client, county, leader):
    client.force_login(leader)
    response = client.get(reverse("dashboards:dashboard"), {"period": "2026-Q2"})

    assert response.status_code == 200
    assert 'data-scope="county"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("dashboards:dashboard"))

    assert response.status_code == 302


# Queries ----------------------------------------------------------------------------------------


def more_of_everything(actor):
    """More sites and cases in another township: the page must not run more queries."""
    for number in range(5):
        site = make_site(actor=actor, township_code=CHANGSHUO, name=f"加测{number}")
        make_case(
            site=site,
            category="pollution",
            status=CaseStatus.CLOSED,
            reported_at=at(5, 1 + number),
            closed_at=at(5, 10 + number),
            closed_on_time=number % 2 == 0,
            reporter=actor,
            assisting=["market", "fire"],
        )


@pytest.mark.parametrize("role", [Role.LEADER, Role.TOWNSHIP_OFFICER, Role.AGENCY_OFFICER])
def test_the_page_runs_a_fixed_number_of_queries(
    client, county, users_by_role, role, commerce_admin, django_assert_max_num_queries
):
    user = users_by_role[role]
    client.force_login(user)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("dashboards:dashboard"), {"period": "2026"})
    more_of_everything(commerce_admin)
    cache.clear()
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET):
        client.get(reverse("dashboards:dashboard"), {"period": "2026"})
    cache.clear()  # the figures computed, not read from the figure cache
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("dashboards:dashboard"), {"period": "2026"})

    assert len(after) == len(before)
