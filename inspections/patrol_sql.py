"""A plan's tasks of a period written by PostgreSQL in one statement (patrols.py's generation on
PostgreSQL): the sites still without a task, each given a grid worker of its township, the
fewest open tasks first (ties by username), exactly as the Python assignment does.

The assignment is a merge: a worker holding `load` open tasks takes new tasks at the levels
load, load + 1, load + 2 …; handing each new site in turn to the least loaded worker is handing
the township's k-th new site (by township code, site code) to its k-th slot in the order of
(level, username). The slots are generated per worker up to the highest level any of the
township's new sites can reach (the township's highest load plus its new sites per worker), so
their number stays near the number of new sites. A second run of the period finds no site
without a task and computes no slot."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from accounts.choices import Role
from accounts.selectors import officers

from .choices import PatrolTaskStatus
from .models import PatrolPlan, PatrolTask

_GENERATE = """
WITH covered AS MATERIALIZED (
    SELECT c.id, c.township_id, c.code, t.id IS NULL AS fresh
    FROM ({sites}) AS c (id, township_id, code)
    LEFT JOIN {task} t ON t.plan_id = %s AND t.period_start = %s AND t.site_id = c.id
),
fresh AS (
    SELECT id, township_id, row_number() OVER (PARTITION BY township_id ORDER BY code) AS turn
    FROM covered WHERE fresh
),
need AS (SELECT township_id, count(*) AS n FROM fresh GROUP BY township_id),
workers AS (
    SELECT w.id, w.township_id, w.username,
        (SELECT count(*) FROM {task} t WHERE t.assigned_to_id = w.id AND t.status = %s) AS load
    FROM ({workers}) AS w (id, township_id, username)
    WHERE w.township_id IN (SELECT township_id FROM need)
),
bounds AS (
    SELECT w.township_id, max(w.load) + (need.n + count(*) - 1) / count(*) - 1 AS top
    FROM workers w JOIN need USING (township_id)
    GROUP BY w.township_id, need.n
),
slots AS (
    SELECT w.id, w.township_id, row_number() OVER (
        PARTITION BY w.township_id ORDER BY w.load + j, w.username COLLATE "C") AS turn
    FROM workers w JOIN bounds b USING (township_id)
    CROSS JOIN LATERAL generate_series(0, b.top - w.load) AS j
),
written AS (
    INSERT INTO {task}
        (plan_id, site_id, township_id, period_start, due_on, assigned_to_id, status, created_at)
    SELECT %s, f.id, f.township_id, %s, %s, s.id, %s, %s
    FROM fresh f LEFT JOIN slots s ON s.township_id = f.township_id AND s.turn = f.turn
    ON CONFLICT (plan_id, site_id, period_start) DO NOTHING
    RETURNING assigned_to_id
)
SELECT true, NULL, count(*) FROM covered
UNION ALL
SELECT false, assigned_to_id, count(*) FROM written GROUP BY assigned_to_id
"""


@dataclass
class Written:
    covered: int  # sites the plan covers
    created: int
    unassigned: int
    assigned: Counter  # new tasks per grid worker id


def write_tasks_in_sql(*, plan: PatrolPlan, sites, start: dt.date, end: dt.date) -> Written:
    """One task of the period for each of `sites` (a queryset) without one; one statement."""
    sites_sql, sites_params = (
        sites.order_by().values_list("pk", "township_id", "code").query
    ).sql_with_params()
    workers_sql, workers_params = (
        officers(role=Role.GRID_WORKER)
        .exclude(township=None)
        .order_by()
        .values_list("pk", "township_id", "username")
        .query
    ).sql_with_params()
    statement = _GENERATE.format(
        sites=sites_sql,
        workers=workers_sql,
        task=connection.ops.quote_name(PatrolTask._meta.db_table),
    )
    params = [
        *sites_params,
        plan.pk,
        start,
        PatrolTaskStatus.OPEN,
        *workers_params,
        plan.pk,
        start,
        end,
        PatrolTaskStatus.OPEN,
        timezone.now(),
    ]
    covered, assigned = 0, Counter()
    with connection.cursor() as cursor:
        # The sorts of 100,000 sites stay in memory (PostgreSQL's default is 4 MB).
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(statement, params)
        for is_total, worker, count in cursor.fetchall():
            if is_total:
                covered = count
            else:
                assigned[worker] += count
    unassigned = assigned.pop(None, 0)
    return Written(
        covered=covered,
        created=unassigned + sum(assigned.values()),
        unassigned=unassigned,
        assigned=assigned,
    )
