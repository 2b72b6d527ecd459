"""The table of a database cache named in CACHES (production's shared cache): created here so
that every deployment that runs `migrate` has it. Settings without a database cache (local,
test) create nothing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_assessment_permissions")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
