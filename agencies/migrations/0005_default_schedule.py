"""The schedule settings row with its defaults (editable by the commerce bureau)."""

from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("agencies", "Schedule").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0004_meetings_and_schedule")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
