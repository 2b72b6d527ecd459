"""The dashboard's figures, cached per scope and invalidated by every write.

A figure is cached under its scope (role, township, agency), its period, today's date, the
language and the script prefix (labels and links differ) and the *write counter*: a PostgreSQL
sequence every statement on the tables behind the figures advances (statement-level triggers,
dashboards/migrations/0001_figure_generation.py), whatever wrote it: the services, the admin,
`bulk_create`, `queryset.update`, COPY from the seeding, raw SQL. Reading the counter is one
query; a write makes every cached figure unreachable at once, so two townships never share a
figure and no write is ever shown late (beyond `TIMEOUT`, the bound on the rare case of a figure
computed while a write was being committed).

On SQLite (the demo) there are no triggers: the figures are computed live on each request.
"""

from django.core.cache import cache
from django.db import connection
from django.urls import get_script_prefix
from django.utils import translation

GENERATION_SEQUENCE = "dashboards_figure_generation"
# Seconds a figure stays cached at most, even if nothing is written.
TIMEOUT = 120


def write_generation() -> int | None:
    """The write counter now, or None where there is none (SQLite: compute live)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, is_called FROM {GENERATION_SEQUENCE}")
        last_value, is_called = cursor.fetchone()
    return last_value if is_called else 0


def scope_key(user) -> tuple:
    """Who the figures are for, as far as `visible_to` and the role predicates can tell apart."""
    return (
        "su" if user.is_superuser else user.role or "-",
        user.township_id or "-",
        user.agency_id or "-",
    )


def cached_figures(name: str, *, user, parts: tuple, compute):
    """`compute()`, or what it returned for the same figure, scope and parts since the last
    write."""
    generation = write_generation()
    if generation is None:
        return compute()
    key = ":".join(
        str(part)
        for part in (
            "figures",
            name,
            generation,
            *scope_key(user),
            *parts,
            translation.get_language() or "-",
            get_script_prefix(),
        )
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
