import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_every_role_has_its_group_with_permissions():
    from django.contrib.auth.models import Group

    from accounts.choices import Role
    from accounts.roles import ROLE_PERMISSIONS, group_name

    for role in Role:
        group = Group.objects.get(name=group_name(role))
        granted = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert granted == set(ROLE_PERMISSIONS[role])
