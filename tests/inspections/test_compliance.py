"""A site's compliance history: the strip of the last twelve quarters, marked by the worst thing
that happened in each, and the inspections, cases and enforcement actions behind it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.choices import Role
from inspections import compliance
from inspections.choices import Actor, CaseStatus
from inspections.models import EnforcementAction
from inspections.services import FindingInput, file_inspection, record_enforcement_action
from tests.factories import make_site, make_user

from .conftest import category, report
from .test_case_lifecycle import bring_to

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 29, 2, 0, tzinfo=dt.UTC)  # 2026Q4 in Anji

LABELS = [f"{year}Q{quarter}" for year in (2024, 2025, 2026) for quarter in (1, 2, 3, 4)]
EXPECTED_MARKS = {
    "2024Q1": "passed",  # 00:30 on New Year's Day in Anji, still 2023 in UTC
    "2024Q2": "none",
    "2024Q3": "none",
    "2024Q4": "none",
    "2025Q1": "none",
    "2025Q2": "problems",  # one inspection without problems, one with
    "2025Q3": "serious",  # a fine, and no inspection at all
    "2025Q4": "none",  # only a warning: not a serious measure
    "2026Q1": "serious",  # an inspection whose result is 'serious'
    "2026Q2": "serious",  # a serious finding in a report of 'problems'
    "2026Q3": "passed",  # 23:50 on 30 September in Anji
    "2026Q4": "passed",  # 00:10 on 1 October in Anji, still September in UTC
}


def _at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=dt.UTC), tick=False)


def _passed(site, inspector):
    return file_inspection(site=site, inspector=inspector, result="passed")


@pytest.fixture
def site(built_up_site):
    return built_up_site


@pytest.fixture
def history(site, dipu_grid_worker, commerce_admin, dipu_officer, urban_officer):
    """Three years of patrols at a 递铺 site, at dates in different quarters (times in UTC)."""
    people = {
        Actor.COMMERCE: commerce_admin,
        Actor.TOWNSHIP: dipu_officer,
        Actor.LEAD: urban_officer,
    }
    grid = dipu_grid_worker
    with _at(2023, 12, 31, 15, 0):  # 23:00 on 31 December 2023 in Anji: before the strip
        (old_case,) = report(site, grid, "pollution", serious=True)
    with _at(2023, 12, 31, 16, 30):  # 00:30 on 1 January 2024 in Anji
        _passed(site, grid)
    with _at(2025, 4, 10, 2, 0):
        _passed(site, grid)
    with _at(2025, 5, 20, 2, 0):
        (piling,) = report(site, grid, "appearance")
        piling = bring_to(piling, CaseStatus.HANDLING, people)
    with _at(2025, 8, 15, 2, 0):
        fine = record_enforcement_action(
            action=EnforcementAction(
                case=piling, kind="fine", fine_amount=Decimal("5000"), document_number="安综执罚1号"
            ),
            actor=urban_officer,
        )
    with _at(2025, 11, 10, 2, 0):
        record_enforcement_action(
            action=EnforcementAction(case=piling, kind="warning"), actor=urban_officer
        )
    with _at(2026, 2, 10, 2, 0):
        (unlicensed,) = report(site, grid, "unlicensed", serious=True)
    with _at(2026, 5, 12, 2, 0):
        inspection = file_inspection(
            site=site,
            inspector=grid,
            result="problems",
            findings=[
                FindingInput(category=category("fire_hazard"), description="住人", is_serious=True)
            ],
        )
        fire = inspection.findings.get().case
    with _at(2026, 9, 30, 15, 50):  # 23:50 on 30 September in Anji
        _passed(site, grid)
    with _at(2026, 9, 30, 16, 10):  # 00:10 on 1 October in Anji
        _passed(site, grid)
    return {
        "old_case": old_case,
        "piling": piling,
        "unlicensed": unlicensed,
        "fire": fire,
        "fine": fine,
    }


def _strip(user, site):
    with time_machine.travel(NOW, tick=False):
        return compliance.quarter_strip(user=user, site=site, today=dt.date(2026, 11, 29))


def _fragment(client, user, site, **params):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(NOW, tick=False):
        return client.get(reverse("inspections:site-compliance", args=[site.pk]), params)


def test_the_last_twelve_quarters_run_oldest_first_to_the_current_one():
    quarters = compliance.last_quarters(today=dt.date(2026, 11, 29))
    assert [quarter.label for quarter in quarters] == LABELS
    assert compliance.last_quarters(today=dt.date(2026, 1, 1))[0].label == "2023Q2"


def test_each_quarter_is_marked_by_the_worst_that_happened_in_it(dipu_officer, site, history):
    strip = _strip(dipu_officer, site)

    assert [quarter.label for quarter in strip] == LABELS
    assert {quarter.label: quarter.mark for quarter in strip} == EXPECTED_MARKS
    by_label = {quarter.label: quarter for quarter in strip}
    assert (by_label["2025Q2"].inspections, by_label["2025Q2"].with_problems) == (2, 1)
    assert by_label["2025Q3"].serious_measures == 1
    assert by_label["2025Q4"].serious_measures == 0


def test_the_fragment_shows_the_strip_with_text_besides_colour(client, dipu_officer, site, history):
    response = _fragment(client, dipu_officer, site)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "css/compliance.css" in page
    cells = re.findall(
        r'<li class="quarter quarter-(\w+)" title="([^"]+)" data-quarter="(\w+)"', page
    )
    assert [label for _mark, _title, label in cells] == LABELS
    assert {label: mark for mark, _title, label in cells} == EXPECTED_MARKS
    titles = {label: title for _mark, title, label in cells}
    assert titles["2025Q3"].startswith("2025Q3: Serious violation")
    assert titles["2024Q2"].startswith("2024Q2: No inspection")
    hidden = re.findall(r'<span class="visually-hidden">([^<]+)</span>', page)
    assert len(hidden) == 12
    for mark in ("No inspection", "Inspected, no problem", "Problem found", "Serious violation"):
        assert mark in page  # the legend


def test_the_fragment_lists_inspections_cases_and_measures(client, dipu_officer, site, history):
    response = _fragment(client, dipu_officer, site)

    context = response.context
    assert len(context["inspections"]) == 7  # the December 2023 report is before the strip
    assert [i.finding_count for i in context["inspections"]][:2] == [0, 0]
    assert {case.number for case in context["cases"]} == {
        history["old_case"].number,  # reported before the strip, still open
        history["piling"].number,
        history["unlicensed"].number,
        history["fire"].number,
    }
    assert [action.kind for action in context["actions"]] == ["warning", "fine"]
    page = response.content.decode()
    assert "安综执罚1号" in page
    assert "5000.00 yuan" in page
    assert history["piling"].get_absolute_url() in page


def test_an_agency_sees_the_history_of_its_own_cases(client, fire_officer, site, history):
    strip = _strip(fire_officer, site)
    response = _fragment(client, fire_officer, site)

    assert {q.label: q.mark for q in strip} == {
        label: "serious" if label == "2026Q2" else "none" for label in LABELS
    }
    assert [case.number for case in response.context["cases"]] == [history["fire"].number]
    assert list(response.context["actions"]) == []


def test_full_page_works_without_javascript(client, dipu_officer, site, history):
    response = _fragment(client, dipu_officer, site, full="1")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert 'class="quarter-strip"' in page
    assert site.get_absolute_url() in page


def test_another_townships_site_is_not_found(client, site, history):
    changshuo_officer = make_user("township_officer", township_code="330523002")
    assert _fragment(client, changshuo_officer, site).status_code == 404
    assert _fragment(client, changshuo_officer, site, full="1").status_code == 404
    client.logout()
    with time_machine.travel(NOW, tick=False):
        anonymous = client.get(reverse("inspections:site-compliance", args=[site.pk]))
    assert anonymous.status_code == 302


@pytest.mark.parametrize("extra", [0, 6])
def test_compliance_runs_a_fixed_number_of_queries(
    client,
    commerce_admin,
    dipu_grid_worker,
    site,
    history,
    extra,
    django_assert_max_num_queries,
):
    for code in ["illegal_building", "poor_management", "public_order"][: extra // 2]:
        report(site, dipu_grid_worker, code)
    for _ in range(extra - extra // 2):
        _passed(site, dipu_grid_worker)
    client.force_login(commerce_admin)

    # Session and user, the site, two counts by quarter, three lists, the session saved
    # again (in a savepoint): whatever the site's history; the full page also the unread
    # count and, for a commerce admin, the reminder to enter next year's holidays.
    with django_assert_max_num_queries(11):
        fragment = client.get(reverse("inspections:site-compliance", args=[site.pk]))
    with django_assert_max_num_queries(13):
        full = client.get(reverse("inspections:site-compliance", args=[site.pk]), {"full": 1})
    assert fragment.status_code == full.status_code == 200


def test_a_site_without_history_shows_twelve_empty_quarters(client, commerce_admin):
    other = make_site(actor=commerce_admin, township_code="330523002")
    response = _fragment(client, commerce_admin, other)
    assert [q.mark for q in response.context["quarters"]] == ["none"] * 12
    assert "No inspection in these quarters." in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_compliance_opens_for_every_role_that_sees_the_site(client, users_by_role, site, role):
    client.force_login(users_by_role[role])
    url = reverse("inspections:site-compliance", args=[site.pk])
    assert client.get(url).status_code == 200
    assert client.get(url, {"full": 1}).status_code == 200
