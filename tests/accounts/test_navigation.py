"""The header's navigation: grouped by task, showing each role only what it may open."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def groups_of(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("sites:site-list"))
    return {
        str(group): [str(label) for label, _url in links]
        for group, links in response.context["nav_groups"]
        if group
    }


def test_a_grid_worker_finds_their_patrols_with_reports_and_cases(client, dipu_grid_worker):
    groups = groups_of(client, dipu_grid_worker)
    assert list(groups) == ["站点", "网点建设", "巡查与案件", "回收市场", "扶持保障", "组织"]
    assert "我的巡查" in groups["巡查与案件"]


def test_the_commerce_bureau_also_sets_patrol_plans_and_runs_the_assessment(client, commerce_admin):
    groups = groups_of(client, commerce_admin)
    assert "巡查计划" in groups["巡查与案件"]
    assert "考核" in groups


@pytest.mark.parametrize(
    "role",
    ["commerce_admin", "township_officer", "grid_worker", "agency_officer", "assessor", "leader"],
)
def test_every_link_in_the_navigation_opens(client, users_by_role, role):
    """No role is offered a page it may not open."""
    user = users_by_role[role]
    client.force_login(user)
    for group, links in client.get(reverse("home"), follow=True).context["nav_groups"]:
        for label, url in links:
            assert client.get(url, follow=True).status_code == 200, (group, label, url)
