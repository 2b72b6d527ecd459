"""全局搜索: sites by number or name, operators by name or 统一社会信用代码, cases by number,
villages, each inside the user's scope, in a fixed number of queries."""

import pytest
from django.urls import reverse

from agencies.models import Village
from tests.factories import make_operator, make_site
from tests.inspections.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_townships(commerce_admin, dipu_grid_worker):
    dipu_site = make_site(
        actor=commerce_admin, village=Village.objects.get(code="330523001018"), name="长乐搜索点"
    )
    village = Village.objects.get(name="余村村委会")
    rural_site = make_site(
        actor=commerce_admin,
        township_code=village.township.code,
        village=village,
        name="余村搜索点",
    )
    (dipu_case,) = report(dipu_site, dipu_grid_worker, "appearance")
    (rural_case,) = report(rural_site, commerce_admin, "appearance")
    return dipu_site, rural_site, dipu_case, rural_case


def _search(client, user, term):
    client.force_login(user)
    response = client.get(reverse("search"), {"q": term})
    assert response.status_code == 200
    return response.context["results"]


def test_the_commerce_bureau_finds_sites_in_every_township(client, commerce_admin, two_townships):
    dipu_site, rural_site, *_cases = two_townships
    assert set(_search(client, commerce_admin, "搜索点").sites) == {dipu_site, rural_site}
    assert _search(client, commerce_admin, rural_site.code).sites == [rural_site]


def test_a_township_officer_finds_only_their_townships_rows(client, dipu_officer, two_townships):
    dipu_site, rural_site, dipu_case, rural_case = two_townships
    assert _search(client, dipu_officer, "搜索点").sites == [dipu_site]
    assert _search(client, dipu_officer, rural_case.number).cases == []
    assert _search(client, dipu_officer, dipu_case.number).cases == [dipu_case]
    assert _search(client, dipu_officer, "余村").villages == []
    assert [v.name for v in _search(client, dipu_officer, "长乐").villages] == ["长乐社区居委会"]


def test_operators_are_found_by_name_or_credit_code(client, commerce_admin, dipu_officer):
    operator = make_operator(actor=commerce_admin, seed=7)
    assert _search(client, commerce_admin, operator.credit_code).operators == [operator]
    assert _search(client, dipu_officer, "测试再生资源").operators == [operator]
    other = make_operator(actor=commerce_admin, township_code="330523002", seed=8)
    assert other not in _search(client, dipu_officer, "测试再生资源").operators


def test_a_one_character_term_finds_nothing(client, commerce_admin, two_townships):
    assert _search(client, commerce_admin, "长").count == 0


def test_search_runs_a_fixed_number_of_queries(
    client, commerce_admin, two_townships, django_assert_max_num_queries
):
    # Session, user, the four kinds, and the header's (unread count, calendar banner):
    # at most ten rows of each kind, whatever the number that match.
    client.force_login(commerce_admin)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("search"), {"q": "搜索"})
    assert "长乐搜索点" in response.content.decode()


def test_detail_pages_carry_breadcrumbs_back_to_their_list(client, commerce_admin, two_townships):
    dipu_site, _rural_site, dipu_case, _rural_case = two_townships
    client.force_login(commerce_admin)
    for obj, list_name in (
        (dipu_site, "sites:site-list"),
        (dipu_case, "inspections:case-list"),
    ):
        html = client.get(obj.get_absolute_url()).content.decode()
        crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
        assert f'href="{reverse(list_name)}"' in crumbs
        assert f'href="{reverse("home")}"' in crumbs
