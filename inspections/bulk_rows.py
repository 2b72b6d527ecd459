"""Writing many rows at once for synthetic data: bulk_create with history, or COPY … FROM STDIN on
PostgreSQL.
"""

from django.db import connection
from simple_history.utils import bulk_create_with_history

from anji_recycling.bulk_rows import copy_rows

BATCH = 2000


def write_rows(model, rows, *, history=False, actor=None):
    """bulk_create in batches: with a history row each where asked, else by COPY on PostgreSQL."""
    if history:
        return bulk_create_with_history(rows, model, batch_size=BATCH, default_user=actor)
    if connection.vendor == "postgresql":
        return copy_rows(model, rows)
    return model.objects.bulk_create(rows, batch_size=BATCH)
