"""Patrol generation for `manage.py benchmark`: a plan over many sites, its first run of the
period (every task written) and its second (nothing left to write), each against the same
work done by one plain SQL statement. Everything is rolled back."""

import statistics

from django.db import connection, transaction
from django.utils import timezone

from agencies.models import Township
from anji_recycling.benchmarking import Row, timed
from sites.choices import SiteStatus, SiteTier
from sites.models import Site

from .choices import PatrolFrequency, PatrolTaskStatus
from .models import PatrolPlan, PatrolTask
from .patrols import generate_patrol_tasks, period_for


def _add_sites(count: int) -> None:
    """`count` operating collection points copied from one stored site by one INSERT …
    SELECT generate_series, spread over the townships (a site is needed to copy)."""
    template = Site.objects.filter(tier=SiteTier.COLLECTION_POINT).order_by("pk").first()
    if template is None:
        raise ValueError("benchmark patrols: seed the database first (seed_demo --scale N)")
    townships = list(Township.objects.order_by("pk").values_list("pk", flat=True))
    fields = [f for f in Site._meta.concrete_fields if not f.primary_key]
    values = {
        "code": "'BENCHMARK-' || g",
        "name": "'巡查基准站点' || g",
        "status": "%(status)s",
        "township_id": "(%(townships)s::bigint[])[1 + g %% %(count)s]",
        "village_id": "NULL",
        "parent_id": "NULL",
        "operator_id": "NULL",
    }
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    chosen = ", ".join(values.get(f.column, f"t.{quote(f.column)}") for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Site._meta.db_table)} ({columns}) SELECT {chosen} "
            f"FROM {quote(Site._meta.db_table)} t CROSS JOIN generate_series(1, %(n)s) g "
            "WHERE t.id = %(template)s",
            {
                "status": SiteStatus.OPERATING,
                "townships": townships,
                "count": len(townships),
                "n": count,
                "template": template.pk,
            },
        )
        cursor.execute(f"ANALYZE {quote(Site._meta.db_table)}")


_PLAIN_INSERT = """
INSERT INTO inspections_patroltask
    (plan_id, site_id, township_id, period_start, due_on, status, created_at)
SELECT %(plan)s, id, township_id, %(start)s, %(due)s, %(status)s, now()
FROM sites_site WHERE status = %(site_status)s
ON CONFLICT DO NOTHING
"""
_PLAIN_LEFT = """
SELECT count(*) FROM sites_site s WHERE s.status = %(site_status)s AND NOT EXISTS (
    SELECT 1 FROM inspections_patroltask t
    WHERE t.plan_id = %(plan)s AND t.period_start = %(start)s AND t.site_id = s.id)
"""


def patrol_paths(*, sites: int, runs: int) -> list[Row]:
    """Generation for one monthly plan over every operating site (`sites` more added)."""
    today = timezone.localdate()
    with transaction.atomic():
        PatrolPlan.objects.filter(is_active=True).update(is_active=False)
        _add_sites(sites)
        plan = PatrolPlan.objects.create(
            name="巡查基准计划",
            status=SiteStatus.OPERATING,
            frequency=PatrolFrequency.MONTHLY,
        )
        start, due = period_for(frequency=PatrolFrequency.MONTHLY, today=today)
        params = {
            "plan": plan.pk,
            "start": start,
            "due": due,
            "status": PatrolTaskStatus.OPEN,
            "site_status": SiteStatus.OPERATING,
        }
        covered = Site.objects.filter(status=SiteStatus.OPERATING).count()
        first, second, plain_first, plain_second = [], [], [], []

        def sql(statement):
            with connection.cursor() as cursor:
                cursor.execute(statement, params)

        for _run in range(runs):
            savepoint = transaction.savepoint()
            plain_first.append(timed(lambda: sql(_PLAIN_INSERT)))
            transaction.savepoint_rollback(savepoint)
            savepoint = transaction.savepoint()
            first.append(timed(lambda: generate_patrol_tasks(today=today)))
            # As autovacuum does after 100,000 new rows, before the period's next run.
            sql("ANALYZE inspections_patroltask")
            plain_second.append(timed(lambda: sql(_PLAIN_LEFT)))
            second.append(timed(lambda: generate_patrol_tasks(today=today)))
            assert PatrolTask.objects.filter(plan=plan).count() == covered
            transaction.savepoint_rollback(savepoint)
        transaction.set_rollback(True)
    median = statistics.median
    return [
        Row(
            path=f"patrol generation, {covered:,} sites, first run",
            project=median(first),
            anchor=median(plain_first),
            unit="s",
            anchor_name="one INSERT … SELECT of the same tasks",
            target="≤ 5 s",
        ),
        Row(
            path=f"patrol generation, {covered:,} sites, second run",
            project=median(second),
            anchor=median(plain_second),
            unit="s",
            anchor_name="one anti-join SELECT of the sites left",
            target="≤ 1 s",
        ),
    ]
