"""Role permissions for the network-building projects: every role reads them; a township
officer registers and runs its own stations' and points' projects; the commerce bureau all.
(The 供销联社 role, when it comes, gets its own grant.)"""

from django.db import migrations

from accounts.migrations._grants import grant, perms, revoke

MODELS = ("networkproject", "projectstagechange", "projectphoto")
READ = perms("network", MODELS, ["view"])

ROLE_PERMISSIONS = {
    "commerce_admin": [
        *READ,
        "network.add_networkproject",
        "network.change_networkproject",
        "network.add_projectphoto",
    ],
    "township_officer": [
        *READ,
        "network.add_networkproject",
        "network.change_networkproject",
        "network.add_projectphoto",
    ],
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
        ("accounts", "0014_flag_clearance_permissions"),
        ("network", "0001_projects"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
