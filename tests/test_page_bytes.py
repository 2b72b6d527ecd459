"""Page bytes do not grow with the data (issue 16): the lists paginate, the operator filter and
the market's site filters carry only the chosen row (the rest come from the API as one types),
the site map reads
its sites from the API. Each page is rendered with a base set of rows and with ten times as many;
its size may grow only by the few characters of larger counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Township, Village
from inspections.choices import PatrolTaskStatus
from inspections.models import PatrolPlan, PatrolTask
from sites.models import Operator, Site
from tests.conftest import DIPU
from tests.factories import credit_code

BASE_ROWS = 120  # more than one page of every list (my patrols: two lists of half each)
GROWTH = 1.02  # a few digits more in the counts and page numbers


def _tier(n):
    return 2 if n % 100 == 0 else 3  # few: the site list's first rows stay points


def _add_rows(count, *, start):
    """`count` more operators, located sites (one per operator, every hundredth a
    transfer station) and open patrol tasks in Dipu, written in bulk (the services' path is tested
    elsewhere; here only sizes count)."""
    dipu = Township.objects.get(code=DIPU)
    village = Village.objects.filter(township=dipu, is_active=True).first()
    operators = Operator.objects.bulk_create(
        Operator(
            name=f"页面大小测试再生资源有限公司{n}",
            kind="enterprise",
            credit_code=credit_code(100000 + n),
            township=dipu,
        )
        for n in range(start, start + count)
    )
    sites = Site.objects.bulk_create(
        Site(
            code=f"{DIPU}-{_tier(n)}-{n:05d}",
            name=f"页面大小测试站点{n}",
            tier=_tier(n),
            status="operating",
            township=dipu,
            village=village,
            address="递铺街道测试路1号",
            operator=operator,
            latitude="30.63",
            longitude="119.68",
        )
        for n, operator in zip(range(start, start + count), operators, strict=True)
    )
    plan = PatrolPlan.objects.filter(township=dipu).first() or PatrolPlan.objects.create(
        name="页面大小测试计划", tier=3, status="operating", township=dipu, frequency="weekly"
    )
    today = timezone.localdate()
    PatrolTask.objects.bulk_create(
        PatrolTask(
            plan=plan,
            site=site,
            township=dipu,
            period_start=today - dt.timedelta(days=1 + n % 2 * 30),
            due_on=today + dt.timedelta(days=-20 if n % 2 else 3),
            status=PatrolTaskStatus.OPEN,
        )
        for n, site in enumerate(sites)
    )


PAGES = [
    ("sites:site-list", "commerce_admin"),
    ("sites:site-map", "commerce_admin"),
    ("sites:site-list", "dipu_officer"),
    ("inspections:patrol-mine", "dipu_officer"),
    ("trade:transfer-list", "commerce_admin"),
    ("trade:transfer-list", "dipu_officer"),
    ("trade:settlement-list", "commerce_admin"),
]


@pytest.mark.parametrize(("url_name", "who"), PAGES)
def test_page_size_does_not_grow_with_the_data(db, client, request, url_name, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse(url_name)

    _add_rows(BASE_ROWS, start=0)
    small = client.get(url)
    _add_rows(9 * BASE_ROWS, start=BASE_ROWS)
    large = client.get(url)

    assert small.status_code == large.status_code == 200
    assert len(large.content) <= len(small.content) * GROWTH, (
        len(small.content),
        len(large.content),
    )


def test_a_chosen_operator_stays_chosen_and_a_foreign_one_is_refused(client, dipu_officer):
    _add_rows(3, start=0)
    chosen = Operator.objects.filter(name__startswith="页面大小测试").first()
    client.force_login(dipu_officer)

    page = client.get(reverse("sites:site-list"), {"operator": chosen.pk}).content.decode()

    assert f'<option value="{chosen.pk}" selected>{chosen.name}</option>' in page
    assert page.count("页面大小测试再生资源有限公司") == 1 + 1  # the option, the one site's row
    assert 'data-search-url="/api/v1/operators/"' in page


def test_my_patrols_pages_each_list_on_its_own(client, dipu_officer):
    _add_rows(2 * 60, start=0)  # 60 overdue, 60 current: two pages of each
    client.force_login(dipu_officer)

    page = client.get(reverse("inspections:patrol-mine"), {"overdue": 2})

    assert len(page.context["overdue"]) == 10
    assert len(page.context["current"]) == 50
    body = page.content.decode()
    assert "?current=1&amp;overdue=1" in body  # back to the overdue list's first page
    assert "?overdue=2&amp;current=2" in body  # the current list's next page keeps overdue's


def test_the_market_site_filter_keeps_the_chosen_station_and_refuses_a_collection_point(
    client, dipu_officer
):
    _add_rows(200, start=0)
    station = Site.objects.get(name="页面大小测试站点100")
    point = Site.objects.get(name="页面大小测试站点101")
    client.force_login(dipu_officer)

    page = client.get(reverse("trade:transfer-list"), {"site": station.pk})
    refused = client.get(reverse("trade:transfer-list"), {"site": point.pk})

    body = page.content.decode()
    assert f'<option value="{station.pk}" selected>{station}</option>' in body
    assert "页面大小测试站点0" not in body  # the other station is not an option
    assert 'data-search-url="/api/v1/sites/?receiving=true"' in body
    assert refused.context["filter"].errors["site"]


def test_the_site_api_lists_only_receiving_sites_for_the_market_filter(client, dipu_officer):
    _add_rows(200, start=0)
    client.force_login(dipu_officer)

    answer = client.get("/api/v1/sites/", {"receiving": "true", "q": "页面大小测试", "limit": 20})

    assert answer.status_code == 200
    assert sorted(row["name"] for row in answer.json()["results"]) == [
        "页面大小测试站点0",
        "页面大小测试站点100",
    ]
