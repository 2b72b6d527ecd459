"""The document's example cadence: operating points monthly, rectifying sites weekly, banned
sites monthly (to check they have not come back), illegal points weekly. Editable data."""

from django.db import migrations

PLANS = [
    ("运营中站点月度巡查", "operating", "monthly"),
    ("整改中站点每周巡查", "rectifying", "weekly"),
    ("已取缔点位月度复查", "banned", "monthly"),
    ("非法点位每周巡查", "illegal", "weekly"),
]


def seed(apps, schema_editor):
    PatrolPlan = apps.get_model("inspections", "PatrolPlan")
    for name, status, frequency in PLANS:
        PatrolPlan.objects.get_or_create(
            name=name, defaults={"status": status, "frequency": frequency}
        )


def unseed(apps, schema_editor):
    apps.get_model("inspections", "PatrolPlan").objects.filter(
        name__in=[name for name, *_ in PLANS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_patrols_and_escalations")]

    operations = [migrations.RunPython(seed, unseed)]
