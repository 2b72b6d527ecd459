"""Shared by the migrations that give role groups their permissions (not a migration)."""

from django.contrib.auth.management import create_permissions


def perms(app_label, models, actions):
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


def grant(apps, role_permissions, *, replace=False):
    """Give each role's group (role:<role>) these permissions, creating both as needed."""
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=f"role:{role}")
        found = []
        for name in names:
            app_label, codename = name.split(".")
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        if replace:
            group.permissions.set(found)
        else:
            group.permissions.add(*found)


def revoke(apps, role_permissions):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in role_permissions.items():
        group = Group.objects.filter(name=f"role:{role}").first()
        if group is None:
            continue
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
