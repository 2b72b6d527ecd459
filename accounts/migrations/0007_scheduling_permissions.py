"""Role permissions for meetings, action items, patrol plans and tasks, schedule settings."""

from django.db import migrations

from ._grants import grant, perms, revoke

ALL = ["view", "add", "change", "delete"]
READ = [
    *perms("agencies", ("meeting", "actionitem", "actionitemupdate"), ["view"]),
    *perms("inspections", ("patrolplan", "patroltask"), ["view"]),
]

ROLE_PERMISSIONS = {
    "commerce_admin": [
        *perms("agencies", ("meeting", "meetingattendance", "actionitem", "actionitemupdate"), ALL),
        *perms("agencies", ("schedule",), ["view", "change"]),
        *perms("inspections", ("patrolplan",), ALL),
        *perms("inspections", ("patroltask",), ["view", "change"]),
        "inspections.view_caseescalation",
    ],
    "township_officer": [*READ, "inspections.change_patroltask"],
    "grid_worker": [*READ, "inspections.change_patroltask"],
    "agency_officer": [*READ, "agencies.change_actionitem", "agencies.add_actionitemupdate"],
    "assessor": READ,
    "leader": READ,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_notifications"),
        ("agencies", "0005_default_schedule"),
        ("inspections", "0004_default_patrol_plans"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
