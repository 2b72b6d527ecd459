"""Role permissions for the recycling market: every role reads it; a township officer enters
its sites' transfers, settlements and month-end stocks; the commerce bureau everything."""

from django.db import migrations

from ._grants import grant, perms, revoke

MODELS = ("materialgrade", "priceentry", "transfer", "settlement", "shipment", "stockdeclaration")
READ = perms("trade", MODELS, ["view"])

ROLE_PERMISSIONS = {
    "commerce_admin": perms("trade", MODELS, ["view", "add", "change", "delete"]),
    "township_officer": [
        *READ,
        *perms("trade", ("transfer", "settlement", "stockdeclaration"), ["add", "change"]),
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
        ("accounts", "0012_api_tokens_from_drf_authtoken"),
        ("trade", "0001_market"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
