"""Role permissions for inspections and cases. Which case action a person may take is the
case state machine's (inspections/state_machine.py); these say which records they reach."""

from django.db import migrations

from ._grants import grant, perms, revoke

READ = perms(
    "inspections",
    ("inspection", "case", "caseevent", "caserequest", "enforcementaction", "checklistitem"),
    ["view"],
)

ROLE_PERMISSIONS = {
    "commerce_admin": [
        *READ,
        *perms("inspections", ("checklistitem",), ["add", "change", "delete"]),
        "inspections.add_inspection",
        "inspections.change_case",
        "inspections.change_caserequest",
    ],
    "township_officer": [*READ, "inspections.add_inspection", "inspections.change_case"],
    "grid_worker": [*READ, "inspections.add_inspection"],
    "agency_officer": [
        *READ,
        "inspections.change_case",
        "inspections.add_caserequest",
        "inspections.add_enforcementaction",
    ],
    "assessor": READ,
    "leader": READ,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_site_registry_permissions"),
        ("inspections", "0002_seed_checklist"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
