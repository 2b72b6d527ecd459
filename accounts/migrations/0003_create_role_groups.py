"""One Django group per role, with the role's permissions (accounts.roles at this point)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def _perms(app_label, models, actions):
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


VIEW_ORGANISATION = _perms("agencies", AGENCIES_MODELS, ["view"])

ROLE_PERMISSIONS = {
    "commerce_admin": [
        *_perms("agencies", AGENCIES_MODELS, ["view", "add", "change", "delete"]),
        *_perms("accounts", ["user"], ["view", "add", "change"]),
        "accounts.view_securityevent",
    ],
    "township_officer": [*VIEW_ORGANISATION, "agencies.change_village"],
    "grid_worker": VIEW_ORGANISATION,
    "agency_officer": VIEW_ORGANISATION,
    "assessor": VIEW_ORGANISATION,
    "leader": VIEW_ORGANISATION,
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=f"role:{role}")
        perms = []
        for name in names:
            app_label, codename = name.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


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
