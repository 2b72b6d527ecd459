"""Role permissions for cleared mass-balance flags: every role reads them; a township officer
clears its own sites' flags; the commerce bureau everything."""

from django.db import migrations

from ._grants import grant, perms, revoke

READ = perms("trade", ("flagclearance",), ["view"])

ROLE_PERMISSIONS = {
    "commerce_admin": perms("trade", ("flagclearance",), ["view", "add", "change", "delete"]),
    "township_officer": [*READ, "trade.add_flagclearance"],
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
        ("accounts", "0013_trade_permissions"),
        ("trade", "0004_flag_clearances"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
