"""Role permissions for township populations: every role reads them (organisation data), the
commerce bureau enters and corrects them."""

from django.db import migrations

from ._grants import grant, perms, revoke

READ = perms("agencies", ("townshippopulation",), ["view"])

ROLE_PERMISSIONS = {
    "commerce_admin": perms(
        "agencies", ("townshippopulation",), ["view", "add", "change", "delete"]
    ),
    "township_officer": READ,
    "grid_worker": READ,
    "agency_officer": READ,
    "assessor": READ,
    "leader": READ,
    "governance_staff": READ,
    "coop_staff": READ,
    "association": READ,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0024_joint_inspection_permissions"),
        ("agencies", "0008_township_population"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
