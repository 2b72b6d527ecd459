"""Role groups of the social governance centre's staff, the supply and marketing co-op's staff
and the industry association (accounts/roles.py)."""

from django.db import migrations

from ._grants import grant, perms, revoke

VIEW_ORGANISATION = perms(
    "agencies",
    (
        "agency",
        "agencyduty",
        "township",
        "village",
        "problemcategory",
        "dutyrule",
        "leadinggrouppost",
        "leadinggroupmembership",
        "holidayarrangement",
        "calendaryear",
    ),
    ["view"],
)
VIEW_REGISTRY = perms(
    "sites", ("operator", "site", "sitephoto", "sitestatuschange", "material"), ["view"]
)
INSPECTIONS_READ = perms(
    "inspections",
    ("inspection", "case", "caseevent", "caserequest", "enforcementaction", "checklistitem"),
    ["view"],
)
SCHEDULING_READ = [
    *perms("agencies", ("meeting", "actionitem", "actionitemupdate"), ["view"]),
    *perms("inspections", ("patrolplan", "patroltask"), ["view"]),
]
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
AGENCY_CASEWORK = [
    "inspections.change_case",
    "inspections.add_caserequest",
    "inspections.add_enforcementaction",
    "agencies.change_actionitem",
    "agencies.add_actionitemupdate",
]
AGENCY_STAFF = [
    *VIEW_ORGANISATION,
    *VIEW_REGISTRY,
    "sites.view_coveragetarget",
    *INSPECTIONS_READ,
    *SCHEDULING_READ,
    *AGENCY_CASEWORK,
    *TRADE_READ,
]

ROLE_PERMISSIONS = {
    "governance_staff": [
        *AGENCY_STAFF,
        *perms("inspections", ("patrolplan",), ["add", "change"]),
        "inspections.change_patroltask",
    ],
    "coop_staff": AGENCY_STAFF,
    "association": [
        *VIEW_ORGANISATION,
        *perms("sites", ("operator", "site", "material"), ["view"]),
    ],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0015_agency_roles"),
        ("trade", "0004_flag_clearances"),
        ("inspections", "0007_add_joint_part"),
        ("sites", "0005_operator_support_marks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
