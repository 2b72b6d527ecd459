"""The tables added since 0001_figure_generation (the township populations behind the market
dashboard's recovery per resident, the market's monthly rollup) advance the dashboard's write
counter too. Every figure table is (re)given the trigger: OR REPLACE, since on a new database
0001 may have run after some of them existed and made it already."""

import importlib

from django.db import migrations

FIGURES = importlib.import_module("dashboards.migrations.0001_figure_generation")


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FIGURES.figure_tables(apps):
        schema_editor.execute(
            f'CREATE OR REPLACE TRIGGER {FIGURES.TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR '
            f'TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {FIGURES.FUNCTION}()'
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("agencies_townshippopulation", "trade_transfermonthly"):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS {FIGURES.TRIGGER} ON "{table}"')


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_figure_generation"),
        ("agencies", "0008_township_population"),
        ("trade", "0007_transfer_monthly"),
    ]

    operations = [migrations.RunPython(install, remove)]
