"""Network-building projects for the roles of accounts 0015: the social governance centre
reads them; the supply and marketing co-op, which builds the network, registers and runs them."""

from django.db import migrations

from accounts.migrations._grants import grant, perms, revoke

READ = perms("network", ("networkproject", "projectstagechange", "projectphoto"), ["view"])

ROLE_PERMISSIONS = {
    "governance_staff": READ,
    "coop_staff": [
        *READ,
        "network.add_networkproject",
        "network.change_networkproject",
        "network.add_projectphoto",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0016_agency_role_permissions"),
        ("network", "0002_role_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
