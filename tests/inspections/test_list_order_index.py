"""The case and report lists read their page in the list's order from an index: no sort of
every case or report (hundreds of thousands at province scale) for a page of 50."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import report

pytestmark = pytest.mark.django_db


def _page_query(client, url, table):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    (sql,) = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT")
        and f'FROM "{table}"' in q["sql"]
        and "LIMIT" in q["sql"]
        and "ORDER BY" in q["sql"]
    ]
    return sql


def _plan(sql):
    """The plan with sorting and full scans priced out: a Sort node stays only where no index
    gives the order."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "url, table, index",
    [
        ("inspections:case-list", "inspections_case", "case_list_order"),
        ("inspections:inspection-list", "inspections_inspection", "inspection_list_order"),
    ],
)
def test_the_list_page_is_read_in_order_from_an_index(
    client, commerce_admin, built_up_site, url, table, index
):
    report(built_up_site, commerce_admin, "fire_hazard")
    client.force_login(commerce_admin)
    plan = _plan(_page_query(client, reverse(url), table))
    assert "Sort" not in plan, plan
    assert index in plan, plan
