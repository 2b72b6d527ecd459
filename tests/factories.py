"""Factories for the tests. Reference data (townships, villages, agencies, duty table) is the
real Anji data, loaded once per test database by conftest.py."""

import datetime as dt

import factory

from accounts.choices import Role
from accounts.models import User
from accounts.services import assign_role
from agencies.models import Agency, LeadingGroupMembership, LeadingGroupPost, Township

PASSWORD = "Correct-horse-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)


def make_user(role, *, township_code=None, agency_code=None, **kwargs) -> User:
    """A user with a role, in the role's group, as the admin would create them."""
    user = UserFactory(**kwargs)
    user.save()
    township = Township.objects.get(code=township_code) if township_code else None
    agency = Agency.objects.get(code=agency_code) if agency_code else None
    return assign_role(user=user, role=role, township=township, agency=agency)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadingGroupMembership

    post = factory.LazyFunction(lambda: LeadingGroupPost.objects.first())
    person_name = factory.Sequence(lambda n: f"成员{n}")
    job_title = "副局长"
    start_date = dt.date(2026, 1, 1)


__all__ = ["PASSWORD", "MembershipFactory", "Role", "UserFactory", "make_user"]
