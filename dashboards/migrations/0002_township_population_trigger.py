"""The township populations behind the market dashboard's recovery per resident advance the
dashboard's write counter too (see 0001_figure_generation; OR REPLACE: on a new database 0001
may run after the table exists and have made the trigger already)."""

from django.db import migrations

FUNCTION = "dashboards_bump_figure_generation"
TRIGGER = "dashboards_figure_generation"
TABLE = "agencies_townshippopulation"


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{TABLE}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{TABLE}"')


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_figure_generation"),
        ("agencies", "0008_township_population"),
    ]

    operations = [migrations.RunPython(install, remove)]
