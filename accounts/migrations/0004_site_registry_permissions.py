"""Role permissions for the site registry."""

from django.db import migrations

from ._grants import grant, perms, revoke

REGISTRY = ("operator", "site", "sitephoto")
READ = perms("sites", ("operator", "site", "sitephoto", "sitestatuschange", "material"), ["view"])

ROLE_PERMISSIONS = {
    "commerce_admin": [
        *perms("sites", REGISTRY, ["view", "add", "change", "delete"]),
        *perms("sites", ("coveragetarget", "material"), ["view", "add", "change", "delete"]),
        "sites.view_sitestatuschange",
        "sites.view_backgroundjob",
    ],
    "township_officer": [
        *perms("sites", REGISTRY, ["view", "add", "change"]),
        "sites.view_sitestatuschange",
        "sites.view_material",
        "sites.view_coveragetarget",
    ],
    "grid_worker": [*READ, "sites.view_coveragetarget"],
    "agency_officer": READ,
    "assessor": [*READ, "sites.view_coveragetarget"],
    "leader": [*READ, "sites.view_coveragetarget"],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_create_role_groups"),
        ("sites", "0002_seed_materials_and_targets"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
