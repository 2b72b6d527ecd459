"""Bad organisation data is refused with a Chinese message in the service, admin and API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from agencies import services
from agencies.models import (
    DutyRule,
    LeadingGroupMembership,
    LeadingGroupPost,
    ProblemCategory,
    Village,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _category():
    return ProblemCategory.objects.get(code="fire_hazard")


def test_duty_rule_without_lead_agency_is_refused_by_the_service(commerce_admin):
    DutyRule.objects.filter(category=_category()).delete()
    rule = DutyRule(category=_category(), area="any", lead_kind="agency", lead_agency=None)

    with pytest.raises(ValidationError) as error:
        services.save_duty_rule(rule=rule, actor=commerce_admin)

    assert "牵头部门" in str(error.value)
    assert not DutyRule.objects.filter(category=_category()).exists()


def test_duty_rule_without_lead_agency_is_refused_by_the_api(api_client, commerce_admin):
    api_client.force_authenticate(commerce_admin)
    before = DutyRule.objects.count()

    response = api_client.post(
        "/api/v1/duty-rules/",
        {"category": _category().pk, "area": "rural", "lead_kind": "agency"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "牵头部门" in str(response.json())
    assert DutyRule.objects.count() == before


def test_duty_rule_without_lead_agency_is_refused_by_the_admin(client, commerce_admin):
    client.force_login(commerce_admin)
    before = DutyRule.objects.count()

    response = client.post(
        reverse("admin:agencies_dutyrule_add"),
        {
            "category": _category().pk,
            "area": "rural",
            "lead_kind": "agency",
            "lead_agency": "",
            "register_days": 1,
            "dispatch_days": 1,
            "handle_days": 5,
            "verify_days": 2,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "牵头部门" in response.content.decode()
    assert DutyRule.objects.count() == before


def test_duty_rule_overlapping_one_in_force_is_refused(commerce_admin):
    rule = DutyRule(category=_category(), area="rural", lead_kind="township")
    with pytest.raises(ValidationError) as error:
        services.save_duty_rule(rule=rule, actor=commerce_admin)
    assert "已有" in str(error.value) or "覆盖" in str(error.value)


def test_village_under_no_township_is_refused(commerce_admin, api_client):
    village = Village(code="330523001999", name="测试村委会", short_name="测试村", kind="village")
    with pytest.raises(ValidationError) as error:
        services.save_village(village=village, actor=commerce_admin)
    assert "乡镇" in str(error.value)

    api_client.force_authenticate(commerce_admin)
    response = api_client.post(
        "/api/v1/villages/",
        {"code": "330523001999", "name": "测试村委会", "short_name": "测试村", "kind": "village"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "township" in response.json()
    assert not Village.objects.filter(code="330523001999").exists()


@pytest.mark.parametrize("code", ["33052300101", "3305230010AB", "330524001001", "330523002999"])
def test_malformed_or_misplaced_village_code_is_refused(code, dipu, api_client, commerce_admin):
    api_client.force_authenticate(commerce_admin)
    response = api_client.post(
        "/api/v1/villages/",
        {
            "code": code,
            "name": "测试村委会",
            "short_name": "测试村",
            "kind": "village",
            "township": dipu.pk,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "330523" in str(response.json()["code"])
    assert not Village.objects.filter(code=code).exists()


def test_malformed_village_code_is_refused_in_the_admin(client, commerce_admin, dipu):
    client.force_login(commerce_admin)
    response = client.post(
        reverse("admin:agencies_village_add"),
        {
            "code": "12345",
            "name": "测试村委会",
            "short_name": "测试村",
            "kind": "village",
            "township": dipu.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "330523" in response.content.decode()
    assert not Village.objects.filter(code="12345").exists()


def test_membership_ending_before_it_starts_is_refused(commerce_admin, api_client, client):
    post = LeadingGroupPost.objects.get(role="leader")
    membership = LeadingGroupMembership(
        post=post, person_name="张三", start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 4, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.save_membership(membership=membership, actor=commerce_admin)
    assert "结束" in str(error.value) or "早于" in str(error.value)

    client.force_login(commerce_admin)
    response = client.post(
        reverse("admin:agencies_leadinggroupmembership_add"),
        {
            "post": post.pk,
            "person_name": "张三",
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert not LeadingGroupMembership.objects.exists()


def test_a_post_has_one_current_holder(commerce_admin):
    post = LeadingGroupPost.objects.get(role="leader")
    first = LeadingGroupMembership(post=post, person_name="甲", start_date=dt.date(2026, 1, 1))
    services.save_membership(membership=first, actor=commerce_admin)
    second = LeadingGroupMembership(post=post, person_name="乙", start_date=dt.date(2026, 6, 1))

    with pytest.raises(ValidationError):
        services.save_membership(membership=second, actor=commerce_admin)

    services.end_membership(membership=first, end_date=dt.date(2026, 5, 31), actor=commerce_admin)
    services.save_membership(membership=second, actor=commerce_admin)
    assert post.memberships.filter(end_date__isnull=True).get().person_name == "乙"
