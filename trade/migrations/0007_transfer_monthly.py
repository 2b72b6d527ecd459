"""The monthly rollup of transfers (trade/models/rollup.py), kept by statement-level triggers
on trade_transfer (transition tables: one aggregated upsert per statement, not per row) and
rebuilt when a site's tier or township changes. PostgreSQL only: SQLite reads the transfers."""

from django.db import migrations, models

ROLLUP = "trade_transfermonthly"
KEY = "month, material_id, from_tier, from_township_id, to_township_id"


def _aggregate(rows: str, sign: str) -> str:
    return (
        f"INSERT INTO {ROLLUP} AS r ({KEY}, weight_kg, transfers) "
        f"SELECT date_trunc('month', x.transferred_on)::date, x.material_id, f.tier, "
        f"f.township_id, t.township_id, {sign}SUM(x.weight_kg), {sign}COUNT(*) "
        f"FROM {rows} x JOIN sites_site f ON f.id = x.from_site_id "
        f"JOIN sites_site t ON t.id = x.to_site_id GROUP BY 1, 2, 3, 4, 5 "
        f"ORDER BY 1, 2, 3, 4, 5 "  # one lock order for concurrent writers
        f"ON CONFLICT ({KEY}) DO UPDATE SET weight_kg = r.weight_kg + EXCLUDED.weight_kg, "
        f"transfers = r.transfers + EXCLUDED.transfers"
    )


INSTALL = f"""
CREATE OR REPLACE FUNCTION trade_transfer_monthly_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {ROLLUP};
  {_aggregate("trade_transfer", "")};
END $$;

CREATE OR REPLACE FUNCTION trade_transfer_monthly_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM {ROLLUP};
    RETURN NULL;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    {_aggregate("old_rows", "-")};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_aggregate("new_rows", "")};
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    DELETE FROM {ROLLUP} WHERE transfers = 0;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER trade_transfer_monthly_insert AFTER INSERT ON trade_transfer
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trade_transfer_monthly_apply();
CREATE TRIGGER trade_transfer_monthly_update AFTER UPDATE ON trade_transfer
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trade_transfer_monthly_apply();
CREATE TRIGGER trade_transfer_monthly_delete AFTER DELETE ON trade_transfer
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trade_transfer_monthly_apply();
CREATE TRIGGER trade_transfer_monthly_truncate AFTER TRUNCATE ON trade_transfer
  FOR EACH STATEMENT EXECUTE FUNCTION trade_transfer_monthly_apply();

CREATE OR REPLACE FUNCTION trade_transfer_monthly_sites() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (n.tier, n.township_id) IS DISTINCT FROM (o.tier, o.township_id)
  ) THEN
    PERFORM trade_transfer_monthly_rebuild();
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER trade_transfer_monthly_sites AFTER UPDATE ON sites_site
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trade_transfer_monthly_sites();

SELECT trade_transfer_monthly_rebuild();
"""

REMOVE = """
DROP TRIGGER IF EXISTS trade_transfer_monthly_sites ON sites_site;
DROP TRIGGER IF EXISTS trade_transfer_monthly_insert ON trade_transfer;
DROP TRIGGER IF EXISTS trade_transfer_monthly_update ON trade_transfer;
DROP TRIGGER IF EXISTS trade_transfer_monthly_delete ON trade_transfer;
DROP TRIGGER IF EXISTS trade_transfer_monthly_truncate ON trade_transfer;
DROP FUNCTION IF EXISTS trade_transfer_monthly_sites();
DROP FUNCTION IF EXISTS trade_transfer_monthly_apply();
DROP FUNCTION IF EXISTS trade_transfer_monthly_rebuild();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0007_centre_market_category"),
        ("sites", "0006_merge_market_support_hours"),
        ("trade", "0006_dashboard_open_work"),
    ]

    operations = [
        migrations.CreateModel(
            name="TransferMonthly",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("from_tier", models.PositiveSmallIntegerField(verbose_name="delivering tier")),
                (
                    "weight_kg",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="net weight (kg)"
                    ),
                ),
                ("transfers", models.BigIntegerField(verbose_name="transfers")),
                (
                    "from_township",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="agencies.township",
                    ),
                ),
                (
                    "material",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="sites.material",
                    ),
                ),
                (
                    "to_township",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="agencies.township",
                    ),
                ),
            ],
            options={
                "verbose_name": "monthly transfers",
                "verbose_name_plural": "monthly transfers",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "material", "from_tier", "from_township", "to_township"),
                        name="transfer_monthly_key",
                    )
                ],
            },
        ),
        migrations.RunPython(install, remove),
    ]
