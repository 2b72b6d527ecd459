"""The industry association, the bridge between the county and the trade, reads the market:
the price board, transfers, settlements, shipments and balances (accounts/roles.py)."""

from django.db import migrations

from ._grants import grant, perms, revoke

TRADE_READ = perms(
    "trade",
    (
        "materialgrade",
        "priceentry",
        "transfer",
        "settlement",
        "shipment",
        "stockdeclaration",
        "flagclearance",
    ),
    ["view"],
)
ROLE_PERMISSIONS = {"association": TRADE_READ}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0020_merge_support_public_reports"),
        ("trade", "0005_transfer_weighbridge_ticket"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
