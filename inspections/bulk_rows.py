"""Writing many rows at once for synthetic data: bulk_create with history, or COPY … FROM STDIN on
PostgreSQL.
"""

from django.db import connection
from simple_history.utils import bulk_create_with_history

BATCH = 2000


def write_rows(model, rows, *, history=False, actor=None):
    """bulk_create in batches: with a history row each where asked, else by COPY on PostgreSQL."""
    if history:
        return bulk_create_with_history(rows, model, batch_size=BATCH, default_user=actor)
    if connection.vendor == "postgresql":
        return copy_rows(model, rows)
    return model.objects.bulk_create(rows, batch_size=BATCH)


def copy_rows(model, rows):
    """bulk_create by COPY … FROM STDIN (PostgreSQL): the ids are drawn from the table's
    sequence first (later rows refer to them), then the rows are streamed as they are, without
    an INSERT statement to build; auto_now(_add) fields are filled as a save would."""
    if not rows:
        return rows
    meta = model._meta
    quote = connection.ops.quote_name
    fields = meta.concrete_fields
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        for row, pk in zip(rows, ids, strict=True):
            setattr(row, meta.pk.attname, pk)
            for field in stamped:
                field.pre_save(row, add=True)
            row._state.adding, row._state.db = False, connection.alias
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([getattr(row, field.attname) for field in fields])
    return rows
