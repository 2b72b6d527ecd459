"""Role permissions for subsidies, awards and land-support cases: the commerce bureau and the
agencies record them (the finance and planning bureaus, as the services decide); the county's
readers and the townships read them; the association does not."""

from django.db import migrations

from ._grants import grant, perms, revoke

MODELS = ("subsidy", "landsupportcase")
READ = perms("support", MODELS, ["view"])
RECORD = perms("support", MODELS, ["view", "add", "change"])

ROLE_PERMISSIONS = {
    "commerce_admin": RECORD,
    "township_officer": READ,
    "agency_officer": RECORD,
    "assessor": READ,
    "leader": READ,
    "governance_staff": READ,
    "coop_staff": READ,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0017_grid_workers_of_the_centre"),
        ("support", "0001_subsidies_and_land_support"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
