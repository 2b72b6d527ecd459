"""Writing many rows by COPY … FROM STDIN (PostgreSQL): the seeding's synthetic rows
(inspections/bulk_rows.py) and the rows of an import the check step has validated
(sites/services.py)."""

from django.db import connection


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
