"""Factories for the tests. Reference data (townships, villages, agencies, duty table) is the
real Anji data, loaded once per test database by conftest.py."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

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


def credit_code(seed: int) -> str:
    """A valid 统一社会信用代码 (GB 32100 check character) for test operators."""
    from anji_recycling.validators import credit_code_check_character

    first17 = f"9133052{seed:010d}"
    return first17 + credit_code_check_character(first17)


def make_operator(*, actor, township_code="330523001", seed=1, **fields):
    from sites.models import Operator
    from sites.services import save_operator

    values = {
        "name": f"安吉测试再生资源回收有限公司{seed}",
        "kind": "enterprise",
        "credit_code": credit_code(seed),
        "legal_representative": "张三",
        "contact_phone": "13900001111",
        "township": Township.objects.get(code=township_code),
        **fields,
    }
    return save_operator(operator=Operator(**values), actor=actor)


def make_site(
    *, actor, tier=3, status="operating", township_code="330523001", village=None, **fields
):
    """Register a site through the service (tier 3 gets the township's first village)."""
    from agencies.models import Village
    from sites.models import Site
    from sites.services import register_site

    township = Township.objects.get(code=township_code)
    if tier == 3 and village is None:
        village = Village.objects.filter(township=township, is_active=True).first()
    values = {
        "name": f"测试站点{Site.objects.count() + 1}",
        "tier": tier,
        "status": status,
        "township": township,
        "village": village,
        "address": f"{township.name}测试路1号",
        **fields,
    }
    return register_site(site=Site(**values), actor=actor)


__all__ = [
    "PASSWORD",
    "MembershipFactory",
    "Role",
    "UserFactory",
    "credit_code",
    "make_operator",
    "make_site",
    "make_user",
    "png_bytes",
]


def png_bytes(colour=(200, 60, 40), size=(40, 30)) -> bytes:
    """A small real PNG, as a phone's photo upload would carry."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_subsidy(*, actor, operator=None, **fields):
    """A subsidy to the operator (or to `project=`), through the support app's service."""
    from support.models import Subsidy
    from support.services import save_subsidy

    values = {
        "basis_document": "安财企〔2026〕1号",
        "amount": Decimal("5000.00"),
        "granted_on": timezone.localdate(),
        "purpose": "回收点建设补助",
        **fields,
    }
    return save_subsidy(subsidy=Subsidy(operator=operator, **values), actor=actor)


def make_land_support(*, actor, site, **fields):
    """A land-support case for the site, through the support app's service."""
    from support.models import LandSupportCase
    from support.services import save_land_support

    values = {
        "kind": "existing_plant",
        "request": "用地",
        "requested_on": timezone.localdate(),
        "area": Decimal("50.0"),
        **fields,
    }
    return save_land_support(case=LandSupportCase(site=site, **values), actor=actor)


def make_patrol_task(site, *, worker=None, plan=None):
    """An open patrol task on `site` for this month, due in ten days (a monthly plan's)."""
    from inspections.models import PatrolPlan, PatrolTask

    plan = plan or PatrolPlan.objects.create(name="月巡", status="operating", frequency="monthly")
    today = timezone.localdate()
    return PatrolTask.objects.create(
        plan=plan,
        site=site,
        township=site.township,
        period_start=today.replace(day=1),
        due_on=today + dt.timedelta(days=10),
        assigned_to=worker,
    )
