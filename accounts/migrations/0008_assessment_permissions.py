"""Role permissions for township assessment: the commerce bureau defines schemes and runs
periods; assessors enter deductions; townships read their own and object; leaders read."""

from django.db import migrations

from ._grants import grant, perms, revoke

ALL = ["view", "add", "change", "delete"]
READ = perms(
    "assessments",
    (
        "assessmentscheme",
        "indicator",
        "gradeband",
        "assessmentperiod",
        "townshipresult",
        "indicatorscore",
        "deduction",
        "deductionevidence",
        "objection",
    ),
    ["view"],
)

ROLE_PERMISSIONS = {
    "commerce_admin": [
        *READ,
        *perms("assessments", ("assessmentscheme", "indicator", "gradeband"), ALL),
        *perms("assessments", ("assessmentperiod",), ALL),
        "assessments.view_computationrun",
        "assessments.add_deduction",
        "assessments.change_deduction",
        "assessments.add_deductionevidence",
        "assessments.change_objection",
    ],
    "assessor": [
        *READ,
        "assessments.add_deduction",
        "assessments.change_deduction",
        "assessments.add_deductionevidence",
    ],
    "township_officer": [*READ, "assessments.add_objection"],
    "leader": READ,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_scheduling_permissions"),
        ("assessments", "0002_default_scheme"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
