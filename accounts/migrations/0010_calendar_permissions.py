"""Role permissions for the working-day calendar: every role reads it (organisation data), the
commerce bureau enters the State Council's holidays and marks a year entered in full."""

from django.db import migrations

from ._grants import grant, perms, revoke

MODELS = ("holidayarrangement", "calendaryear")
READ = perms("agencies", MODELS, ["view"])

ROLE_PERMISSIONS = {
    "commerce_admin": perms("agencies", MODELS, ["view", "add", "change", "delete"]),
    "township_officer": READ,
    "grid_worker": READ,
    "agency_officer": READ,
    "assessor": READ,
    "leader": READ,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_create_cache_table"),
        ("agencies", "0006_holiday_calendar"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
