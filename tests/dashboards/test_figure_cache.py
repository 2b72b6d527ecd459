"""The dashboard's figure cache (anji_recycling/figure_cache.py): a figure is read from the
cache only by the same scope, period, day and language, and any write to the tables behind the
figures (however written: services, bulk_create, queryset.update, delete, raw SQL) makes the
next request compute them again."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Role
from inspections.choices import CaseStatus
from inspections.models import Case
from tests.conftest import CHANGSHUO
from tests.factories import make_user

from .conftest import at, make_case

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/"
PAGE = "/dashboard/"
FIGURE_MIGRATION = import_module("dashboards.migrations.0001_figure_generation")


def figures(client, user, **params):
    client.force_login(user)
    response = client.get(URL, {"period": "2026-05", **params})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def changshuo_officer(db):
    return make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)


def test_a_second_request_reads_the_cache(client, county, leader):
    first = figures(client, leader)
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(URL, {"period": "2026-05"}).json()

    assert second == first
    sql = [query["sql"] for query in second_queries]
    assert sum("dashboards_figure_generation" in statement for statement in sql) == 1
    assert not any('"inspections_case"' in statement for statement in sql), sql


def test_two_townships_never_share_a_cached_figure(
    client, county, dipu_officer, changshuo_officer, dipu, changshuo
):
    dipu_figures = figures(client, dipu_officer)
    changshuo_figures = figures(client, changshuo_officer)
    dipu_again = figures(client, dipu_officer)

    assert dipu_figures["scope"]["township_id"] == dipu.pk
    assert changshuo_figures["scope"]["township_id"] == changshuo.pk
    assert [row["township_id"] for row in changshuo_figures["sites"]["by_township"]] == [
        changshuo.pk
    ]
    assert (dipu_figures["cases"]["open"], changshuo_figures["cases"]["open"]) == (2, 1)
    assert dipu_again == dipu_figures


def test_the_period_and_the_role_are_part_of_the_key(client, county, leader, market_officer):
    month = figures(client, leader)
    year = figures(client, leader, period="2026")
    agency = figures(client, market_officer)

    assert month["period"]["key"] == "2026-05"
    assert year["period"]["key"] == "2026"
    assert agency["scope"]["kind"] == "agency"
    assert agency["sites"] is None


def test_the_page_and_the_json_follow_a_write(client, county, leader):
    figures(client, leader)
    client.get(PAGE, {"period": "2026-05"})
    site = Case.objects.get(status=CaseStatus.DISPATCHED).site
    make_case(
        site=site,
        category="pollution",
        status=CaseStatus.REGISTERED,
        reported_at=at(5, 18),
        reporter=leader,
    )

    assert figures(client, leader)["cases"]["open"] == 4
    assert client.get(PAGE, {"period": "2026-05"}).context["headlines"].cases.open == 4


def _open(client, user):
    return figures(client, user)["cases"]["open"]


def test_bulk_writes_update_and_delete_invalidate(client, county, leader):
    assert _open(client, leader) == 3
    model = Case.objects.filter(status=CaseStatus.DISPATCHED).first()
    model.pk = None
    model.number = "AJ2026999999"
    model.category = Case.objects.get(status=CaseStatus.REGISTERED).category
    Case.objects.bulk_create([model])
    assert _open(client, leader) == 4

    Case.objects.filter(number="AJ2026999999").update(status=CaseStatus.CLOSED)
    assert _open(client, leader) == 3

    Case.objects.filter(status=CaseStatus.REGISTERED).update(status=CaseStatus.CLOSED)
    assert _open(client, leader) == 2

    Case.objects.filter(number="AJ2026999999").delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE inspections_case SET status = %s WHERE status = %s",
            [CaseStatus.HANDLING, CaseStatus.CLOSED],
        )
    assert _open(client, leader) == 6  # c2, c3, c4 and c6 reopened beside c1 and c5


def test_every_table_behind_the_figures_advances_the_write_counter():
    """A model added to these apps needs the trigger too (a migration like dashboards' 0001)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'dashboards_figure_generation'"
        )
        with_trigger = {row[0] for row in cursor.fetchall()}
    tables = set(FIGURE_MIGRATION.figure_tables(apps))

    assert tables - with_trigger == set()
