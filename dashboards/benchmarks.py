"""The dashboard's JSON for `manage.py benchmark`: a county leader's and a township officer's
`/api/v1/dashboard/` for the current month, cold (the figure cache emptied first, as after a
write) and warm (cached), each against its own raw SQL: the statements one cold request sent,
captured once and then run again straight on the database cursor (no Django, no serializer, no
cache). The users and sessions written are rolled back."""

import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from accounts.services import assign_role
from agencies.models import Township
from anji_recycling.benchmarking import Row

from .choices import PeriodKind
from .periods import Period


class _Rollback(Exception):
    pass


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _raw(statements: list[str]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
    return time.perf_counter() - started


def _request(client: Client, url: str, query: dict, *, cold: bool) -> float:
    if cold:
        cache.clear()
    started = time.perf_counter()
    response = client.get(url, query)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} {response.status_code}")
    return elapsed


def dashboard_paths(*, runs: int) -> list[Row]:
    rows: list[Row] = []
    try:
        with transaction.atomic():
            rows = _measure(runs)
            raise _Rollback
    except _Rollback:
        pass
    return rows


def _measure(runs: int) -> list[Row]:
    township = Township.objects.order_by("code").first()
    host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
    url = reverse("api:dashboard")
    period = Period.containing(kind=PeriodKind.MONTH, day=timezone.localdate())
    query = {"period": period.key}
    rows = []
    for role, scope, label, target in [
        (Role.LEADER, {}, "leader", "p95 ≤ 150 ms, ≥ 3× faster than the raw SQL"),
        (Role.TOWNSHIP_OFFICER, {"township": township}, "township officer", "≤ 2× raw SQL"),
    ]:
        user = assign_role(
            user=User.objects.create(username=f"benchmark-json-{role}"), role=role, **scope
        )
        client = Client(HTTP_HOST=host.lstrip("."))
        client.force_login(user)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            _request(client, url, query, cold=False)
        # Session and user look-ups included: the statements the request sent, as sent.
        statements = [q["sql"] for q in captured.captured_queries]
        anchor, cold, warm = [], [], []
        for _run in range(runs):
            anchor.append(_raw(statements))
            cold.append(_request(client, url, query, cold=True))
            warm.append(_request(client, url, query, cold=False))
        raw = statistics.median(anchor)
        for kind, timings in [("cold", cold), ("warm", warm)]:
            rows.append(
                Row(
                    path=f"dashboard JSON, {label}, this month, {kind}",
                    project=statistics.median(timings),
                    anchor=raw,
                    unit="ms",
                    anchor_name=f"its {len(statements)} statements as raw SQL",
                    target=target,
                    note=f"p95 {_p95(timings) * 1000:.0f} ms",
                )
            )
    return rows
