"""One Django group per role, with the role's permissions (accounts.roles at this point)."""

from django.db import migrations

from ._grants import grant, perms

AGENCIES_MODELS = (
    "agency",
    "agencyduty",
    "township",
    "village",
    "problemcategory",
    "dutyrule",
    "leadinggrouppost",
    "leadinggroupmembership",
)


VIEW_ORGANISATION = perms("agencies", AGENCIES_MODELS, ["view"])

ROLE_PERMISSIONS = {
    "commerce_admin": [
        *perms("agencies", AGENCIES_MODELS, ["view", "add", "change", "delete"]),
        *perms("accounts", ["user"], ["view", "add", "change"]),
        "accounts.view_securityevent",
    ],
    "township_officer": [*VIEW_ORGANISATION, "agencies.change_village"],
    "grid_worker": VIEW_ORGANISATION,
    "agency_officer": VIEW_ORGANISATION,
    "assessor": VIEW_ORGANISATION,
    "leader": VIEW_ORGANISATION,
}


def create_role_groups(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS, replace=True)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__startswith="role:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_agency_township"),
        ("agencies", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
