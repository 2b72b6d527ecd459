"""Everyone who reads inspections and cases reads the joint inspections' officers present and
the joint actions on sites (their rows scoped by `visible_to`; accounts/roles.py)."""

from django.db import migrations

from ._grants import grant, perms, revoke

JOINT_READ = perms("inspections", ("inspectionofficer", "jointaction", "jointactionagency"), ["view"])
ROLE_PERMISSIONS = dict.fromkeys(
    [
        "commerce_admin",
        "township_officer",
        "grid_worker",
        "agency_officer",
        "governance_staff",
        "coop_staff",
        "assessor",
        "leader",
    ],
    JOINT_READ,
)


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0023_notification_settings"),
        ("inspections", "0015_joint_inspection_and_site_actions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
