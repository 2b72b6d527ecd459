"""Every page opens for every role, in Chinese, and lists run a fixed number of queries."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from agencies.models import Agency, AgencyDuty, DutyRule, LeadingGroupPost, ProblemCategory

pytestmark = pytest.mark.django_db

PAGES = [
    ("home", None),
    ("agencies:township-list", None),
    ("agencies:village-list", None),
    ("agencies:village-data-quality", None),
    ("agencies:agency-list", None),
    ("agencies:dutyrule-list", None),
    ("agencies:leading-group", None),
    ("accounts:password-change", None),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "arg"), PAGES)
def test_every_page_opens_for_every_role(client, users_by_role, role, name, arg):
    client.force_login(users_by_role[role])
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "安吉县再生资源回收长效管理平台" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["agencies:township-detail", "agencies:agency-detail", "agencies:dutyrule-history"],
)
def test_detail_pages_open(client, leader, name, dipu):
    target = {
        "agencies:township-detail": dipu.pk,
        "agencies:agency-detail": Agency.objects.first().pk,
        "agencies:dutyrule-history": DutyRule.objects.first().pk,
    }[name]
    client.force_login(leader)
    assert client.get(reverse(name, args=[target])).status_code == 200


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("agencies:agency-update", Agency),
        ("agencies:duty-update", AgencyDuty),
        ("agencies:dutyrule-update", DutyRule),
        ("agencies:category-update", ProblemCategory),
    ],
)
def test_only_the_commerce_admin_opens_organisation_edit_pages(
    client, commerce_admin, dipu_officer, name, model
):
    url = reverse(name, args=[model.objects.first().pk])
    client.force_login(dipu_officer)
    assert client.get(url).status_code == 403
    client.force_login(commerce_admin)
    assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("agencies:village-list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_login_page_is_in_chinese(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录" in page


def test_commerce_admin_appoints_a_member_in_the_portal(client, commerce_admin):
    post = LeadingGroupPost.objects.get(role="leader")
    client.force_login(commerce_admin)

    response = client.post(
        reverse("agencies:membership-create", args=[post.pk]),
        {"person_name": "李组长", "job_title": "副县长", "start_date": "2026-03-01"},
    )

    assert response.status_code == 302
    page = client.get(reverse("agencies:leading-group")).content.decode()
    assert "李组长" in page


def test_commerce_admin_sets_a_villages_code_in_the_portal(client, commerce_admin):
    from agencies.models import Village

    village = Village.objects.get(code="330523001205")
    client.force_login(commerce_admin)
    response = client.post(
        reverse("agencies:village-update", args=[village.pk]),
        {
            "code": village.code,
            "name": village.name,
            "short_name": village.short_name,
            "township": village.township_id,
            "kind": village.kind,
            "urban_rural_code": "220",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    village.refresh_from_db()
    assert village.urban_rural_code == "220"
    assert village.urban_rural_source == "admin"
    assert village.history.latest().history_user == commerce_admin


@pytest.mark.parametrize(
    "name",
    [
        "agencies:village-list",
        "agencies:dutyrule-list",
        "agencies:agency-list",
        "agencies:township-list",
        "agencies:leading-group",
        "agencies:village-data-quality",
        "home",
    ],
)
def test_pages_run_a_fixed_number_of_queries(client, leader, name, django_assert_max_num_queries):
    client.force_login(leader)
    # The home page is the dashboard: one more for its market figures (trade.selectors).
    with django_assert_max_num_queries(13 if name == "home" else 12):
        assert client.get(reverse(name)).status_code == 200


def test_commerce_admin_opens_every_create_and_edit_page(
    client, commerce_admin, dipu, dipu_village
):
    from agencies.models import LeadingGroupMembership
    from tests.factories import MembershipFactory

    membership = MembershipFactory()
    assert LeadingGroupMembership.objects.filter(pk=membership.pk).exists()
    client.force_login(commerce_admin)
    urls = [
        reverse("agencies:village-create"),
        reverse("agencies:dutyrule-create"),
        reverse("agencies:category-create"),
        reverse("agencies:membership-create", args=[LeadingGroupPost.objects.first().pk]),
        reverse("agencies:township-update", args=[dipu.pk]),
        reverse("agencies:village-update", args=[dipu_village.pk]),
        reverse("agencies:membership-update", args=[membership.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()
