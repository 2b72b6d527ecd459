"""The dashboard's write counter (anji_recycling/figure_cache.py): a sequence every statement on
the tables behind the dashboard's figures advances, through statement-level triggers, so a
cached figure is never read after a write, however it was written (services, admin,
bulk_create, queryset.update, COPY, raw SQL). PostgreSQL only: SQLite computes live."""

from django.db import migrations

# The apps whose tables the dashboard, the township dashboards and the market figures read.
FIGURE_APPS = ["agencies", "sites", "inspections", "assessments", "trade", "network"]
SEQUENCE = "dashboards_figure_generation"
FUNCTION = "dashboards_bump_figure_generation"
TRIGGER = "dashboards_figure_generation"


def figure_tables(apps):
    return sorted(
        {
            model._meta.db_table
            for label in FIGURE_APPS
            for model in apps.get_app_config(label).get_models()
            if model._meta.managed
            and not model._meta.proxy
            and not model.__name__.startswith("Historical")
        }
    )


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM nextval('{SEQUENCE}'); RETURN NULL; END $$"
    )
    for table in figure_tables(apps):
        schema_editor.execute(
            f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in figure_tables(apps):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0007_centre_market_category"),
        ("sites", "0006_merge_market_support_hours"),
        ("inspections", "0012_link_checklist_categories"),
        ("assessments", "0011_two_more_assessment_schemes"),
        ("trade", "0005_transfer_weighbridge_ticket"),
        ("network", "0004_venue_types_with_trading_markets"),
    ]

    operations = [migrations.RunPython(install, remove)]
