"""Role permissions for residents' reports: the commerce bureau and township officers read
and answer them (each its own scope); the commerce bureau also holds the reporting switch."""

from django.db import migrations

from ._grants import grant, perms, revoke

REPORTS = [*perms("public", ("publicreport",), ["view", "change"]), "public.view_publicreportphoto"]

ROLE_PERMISSIONS = {
    "commerce_admin": [*REPORTS, *perms("public", ("publicreporting",), ["view", "change"])],
    "township_officer": REPORTS,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0014_flag_clearance_permissions"),
        ("public", "0002_report_photos_state_reply_switch"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
