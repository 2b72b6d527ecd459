"""Coverage of villages and townships against the year's targets: the selectors, the page, the
API and the map layer of villages not yet served.

The fixture is small enough to work out by hand: in 递铺街道 an operating transfer station, two
operating collection points in one village, a rectifying point in a second village and one
illegal point. 递铺 then has exactly one village served; every other township has none.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from agencies.models import Township, Village
from agencies.services import save_village
from sites.choices import SiteStatus, SiteTier
from sites.coverage import coverage_for_year, unserved_villages
from sites.models import CoverageTarget, Site
from sites.services import change_site_status, register_site
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COVERAGE_URL = "/api/v1/coverage/"
UNSERVED_URL = "/api/v1/coverage/unserved-villages/"
# Session read and save, user, unread count, target, townships, villages; on the page, for a
# commerce admin, the reminder to enter next year's holidays.
QUERY_BUDGET = 12


def add_site(*, actor, township, tier, status=SiteStatus.OPERATING, village=None, name=""):
    site = Site(
        name=name or f"测试站点{Site.objects.count() + 1}",
        tier=tier,
        status=status,
        township=township,
        village=village,
        address=f"{township.name}测试路1号",
    )
    return register_site(site=site, actor=actor)


def active_villages(township):
    return Village.objects.filter(township=township, is_active=True).order_by("code")


def percent_of(part, whole):
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def row_for(report, township):
    return next(row for row in report.townships if row.township.pk == township.pk)


@pytest.fixture
def dipu_network(commerce_admin, dipu):
    first, second = active_villages(dipu)[:2]
    station = add_site(actor=commerce_admin, township=dipu, tier=SiteTier.TRANSFER_STATION)
    add_site(actor=commerce_admin, township=dipu, tier=SiteTier.COLLECTION_POINT, village=first)
    rectifying = add_site(
        actor=commerce_admin, township=dipu, tier=SiteTier.COLLECTION_POINT, village=second
    )
    change_site_status(
        site=rectifying, to=SiteStatus.RECTIFYING, actor=commerce_admin, reason="巡查发现问题"
    )
    add_site(actor=commerce_admin, township=dipu, tier=SiteTier.COLLECTION_POINT, village=first)
    add_site(
        actor=commerce_admin,
        township=dipu,
        tier=SiteTier.COLLECTION_POINT,
        status=SiteStatus.ILLEGAL,
    )
    return {"station": station, "served": first, "rectifying": second}


@pytest.fixture
def no_role_user(db):
    user = UserFactory()
    user.save()
    return user


# The selectors ------------------------------------------------------------------------------


def test_a_township_is_served_village_by_village_by_operating_points_only(
    commerce_admin, dipu, changshuo, dipu_network
):
    village_count = active_villages(dipu).count()

    report = coverage_for_year(user=commerce_admin, year=2025)

    row = row_for(report, dipu)
    assert row.village_count == village_count
    assert row.served_village_count == 1  # two points in one village; the rectifying one not
    assert row.unserved_village_count == village_count - 1
    assert row.coverage_percent == percent_of(1, village_count)
    assert row.has_transfer_station is True
    assert row.illegal_point_count == 1
    other = row_for(report, changshuo)
    assert other.village_count == active_villages(changshuo).count()
    assert other.served_village_count == 0
    assert other.coverage_percent == Decimal("0.0")
    assert other.has_transfer_station is False
    assert other.illegal_point_count == 0


def test_county_totals_add_up_the_fifteen_townships(commerce_admin, dipu_network):
    report = coverage_for_year(user=commerce_admin, year=2025)

    county = report.county
    assert len(report.townships) == 15
    assert county.township_count == 15
    assert county.village_count == Village.objects.filter(is_active=True).count()
    assert county.served_village_count == 1
    assert county.coverage_percent == percent_of(1, county.village_count)
    assert county.townships_with_transfer_station == 1
    assert county.transfer_station_percent == percent_of(1, 15)
    assert county.illegal_point_count == 1
    assert report.scope_township_id is None
    assert report.scope_township is None


def test_a_transfer_station_that_is_not_operating_does_not_count(commerce_admin, changshuo):
    station = add_site(
        actor=commerce_admin,
        township=changshuo,
        tier=SiteTier.TRANSFER_STATION,
        status=SiteStatus.PLANNED,
    )
    assert (
        row_for(coverage_for_year(user=commerce_admin, year=2025), changshuo).has_transfer_station
        is False
    )

    change_site_status(site=station, to=SiteStatus.OPERATING, actor=commerce_admin, reason="建成")
    assert (
        row_for(coverage_for_year(user=commerce_admin, year=2025), changshuo).has_transfer_station
        is True
    )


def test_a_village_no_longer_current_leaves_the_count(commerce_admin, dipu, dipu_network):
    village = dipu_network["served"]
    village.is_active = False
    save_village(village=village, actor=commerce_admin)

    row = row_for(coverage_for_year(user=commerce_admin, year=2025), dipu)

    assert row.village_count == active_villages(dipu).count()
    assert row.served_village_count == 0


def test_the_years_target_applies_else_the_latest_earlier_one(commerce_admin):
    CoverageTarget.objects.create(
        year=2031, village_coverage_percent=Decimal("60"), transfer_station_percent=Decimal("70")
    )
    CoverageTarget.objects.create(
        year=2033, village_coverage_percent=Decimal("80"), transfer_station_percent=Decimal("90")
    )

    same_year = coverage_for_year(user=commerce_admin, year=2033).targets
    later_year = coverage_for_year(user=commerce_admin, year=2032).targets

    assert (same_year.source_year, same_year.village_coverage_percent) == (2033, Decimal("80"))
    assert same_year.transfer_station_percent == Decimal("90")
    assert (later_year.source_year, later_year.village_coverage_percent) == (2031, Decimal("60"))
    assert later_year.is_default is False


def test_without_any_target_the_documents_hundred_percent_applies(commerce_admin):
    CoverageTarget.objects.all().delete()

    targets = coverage_for_year(user=commerce_admin, year=2026).targets

    assert targets.is_default is True
    assert targets.source_year is None
    assert targets.village_coverage_percent == Decimal(100)
    assert targets.transfer_station_percent == Decimal(100)


def test_each_township_and_the_county_say_whether_they_meet_the_targets(
    commerce_admin, dipu, changshuo, dipu_network
):
    village_count = active_villages(dipu).count()
    reached = (Decimal(100) / village_count).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    CoverageTarget.objects.create(
        year=2031, village_coverage_percent=reached, transfer_station_percent=Decimal("6.6")
    )
    CoverageTarget.objects.create(
        year=2032,
        village_coverage_percent=reached + Decimal("0.1"),
        transfer_station_percent=Decimal("6.7"),
    )

    met = coverage_for_year(user=commerce_admin, year=2031)
    missed = coverage_for_year(user=commerce_admin, year=2032)

    assert row_for(met, dipu).meets_coverage_target is True
    assert row_for(met, dipu).meets_transfer_station_target is True
    assert row_for(met, dipu).meets_targets is True
    assert row_for(met, changshuo).meets_coverage_target is False
    assert row_for(met, changshuo).meets_transfer_station_target is False
    assert met.county.meets_transfer_station_target is True  # 1 of 15 = 6.67 % ≥ 6.6 %
    assert met.county.meets_coverage_target is False  # 1 village of 217
    assert row_for(missed, dipu).meets_coverage_target is False
    assert row_for(missed, dipu).meets_targets is False
    assert missed.county.meets_transfer_station_target is False  # 6.67 % < 6.7 %


@pytest.mark.parametrize("fixture", ["dipu_officer", "dipu_grid_worker"])
def test_township_staff_see_only_their_own_township(
    request, fixture, dipu, changshuo, dipu_network
):
    add_site(
        actor=request.getfixturevalue("commerce_admin"),
        township=changshuo,
        tier=SiteTier.COLLECTION_POINT,
        status=SiteStatus.ILLEGAL,
    )
    user = request.getfixturevalue(fixture)

    report = coverage_for_year(user=user, year=2025)
    villages = list(unserved_villages(user=user))

    assert [row.township for row in report.townships] == [dipu]
    assert report.scope_township_id == dipu.pk
    assert report.county.township_count == 1
    assert report.county.village_count == active_villages(dipu).count()
    assert report.county.illegal_point_count == 1  # not 昌硕's
    assert {village.township_id for village in villages} == {dipu.pk}
    assert len(villages) == active_villages(dipu).count() - 1


def test_unserved_villages_leave_out_the_served_ones(commerce_admin, dipu, changshuo, dipu_network):
    everywhere = list(unserved_villages(user=commerce_admin))
    in_dipu = list(unserved_villages(user=commerce_admin, township=dipu))

    assert len(everywhere) == Village.objects.filter(is_active=True).count() - 1
    assert dipu_network["served"] not in everywhere
    assert dipu_network["rectifying"] in in_dipu
    assert {village.township_id for village in in_dipu} == {dipu.pk}
    assert in_dipu == sorted(in_dipu, key=lambda village: village.code)


def test_a_user_without_a_role_sees_nothing(no_role_user):
    report = coverage_for_year(user=no_role_user, year=2025)

    assert report.townships == []
    assert report.county.village_count == 0
    assert list(unserved_villages(user=no_role_user)) == []


# The page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_the_page_opens_for_every_role_and_lists_unserved_villages(
    client, users_by_role, role, dipu_network
):
    client.force_login(users_by_role[role])

    response = client.get(reverse("sites:coverage"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    page = response.content.decode()
    assert "安吉县再生资源回收长效管理平台" in page
    assert dipu_network["rectifying"].code in page
    assert dipu_network["served"].code not in page
    assert 'class="portal-map"' in page
    assert 'data-layer="villages"' in page


def test_the_page_shows_the_numbers_and_links_each_township_to_its_sites(
    client, commerce_admin, dipu, dipu_network
):
    client.force_login(commerce_admin)

    response = client.get(reverse("sites:coverage"), {"year": 2025})

    report = response.context["report"]
    assert report.year == 2025
    assert row_for(report, dipu).served_village_count == 1
    page = response.content.decode()
    assert f'{reverse("sites:site-list")}?township={dipu.pk}"' in page
    assert f'data-geojson="{reverse("api:coverage-unserved-villages")}?year=2025"' in page
    assert len(response.context["unserved_villages"]) == report.county.unserved_village_count


def test_a_township_officers_page_shows_only_their_township(
    client, dipu_officer, changshuo, dipu_network
):
    client.force_login(dipu_officer)

    response = client.get(reverse("sites:coverage"))

    report = response.context["report"]
    assert [row.township.name for row in report.townships] == ["递铺街道"]
    assert report.scope_township.name == "递铺街道"
    page = response.content.decode()
    assert changshuo.name not in page.split("</header>", 1)[1]
    assert active_villages(changshuo).first().code not in page


def test_the_page_defaults_to_this_year_and_ignores_a_bad_year(client, leader):
    from django.utils import timezone

    client.force_login(leader)

    default = client.get(reverse("sites:coverage"))
    bad = client.get(reverse("sites:coverage"), {"year": "next"})

    this_year = timezone.localdate().year
    assert default.context["year"] == this_year
    assert bad.status_code == 200
    assert bad.context["year"] == this_year
    assert bad.context["form"].errors


def test_the_page_needs_a_login_and_a_role(client, no_role_user):
    anonymous = client.get(reverse("sites:coverage"))
    client.force_login(no_role_user)
    no_role = client.get(reverse("sites:coverage"))

    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    assert no_role.status_code == 403


# The API ------------------------------------------------------------------------------------


def test_the_api_returns_the_same_numbers_as_the_page(
    api_client, commerce_admin, dipu, dipu_network
):
    api_client.force_authenticate(commerce_admin)

    response = api_client.get(COVERAGE_URL, {"year": 2025})

    assert response.status_code == 200
    body = response.json()
    report = coverage_for_year(user=commerce_admin, year=2025)
    assert body["year"] == 2025
    assert body["targets"]["source_year"] == 2025
    assert body["county"]["village_count"] == report.county.village_count
    assert body["county"]["served_village_count"] == 1
    assert body["county"]["townships_with_transfer_station"] == 1
    assert body["county"]["illegal_point_count"] == 1
    assert len(body["townships"]) == 15
    row = next(row for row in body["townships"] if row["id"] == dipu.pk)
    assert row["code"] == dipu.code
    assert row["village_count"] == active_villages(dipu).count()
    assert row["served_village_count"] == 1
    assert Decimal(str(row["coverage_percent"])) == percent_of(1, row["village_count"])
    assert row["has_transfer_station"] is True
    assert row["illegal_point_count"] == 1


def test_the_api_scopes_township_staff_to_their_township(api_client, dipu_grid_worker, dipu):
    api_client.force_authenticate(dipu_grid_worker)

    body = api_client.get(COVERAGE_URL).json()
    features = api_client.get(UNSERVED_URL).json()["features"]

    assert [row["id"] for row in body["townships"]] == [dipu.pk]
    assert {feature["properties"]["township_id"] for feature in features} == {dipu.pk}


def test_the_api_refuses_users_without_a_role_and_bad_years(api_client, no_role_user, leader):
    assert api_client.get(COVERAGE_URL).status_code in (401, 403)
    api_client.force_authenticate(no_role_user)
    assert api_client.get(COVERAGE_URL).status_code == 403
    assert api_client.get(UNSERVED_URL).status_code == 403
    api_client.force_authenticate(leader)
    assert api_client.get(COVERAGE_URL, {"year": "1900"}).status_code == 400


def test_the_map_layer_places_villages_without_a_position_at_their_townships_centre(
    api_client, leader, dipu, dipu_network
):
    api_client.force_authenticate(leader)
    unserved = active_villages(dipu).exclude(pk=dipu_network["served"].pk)
    located = unserved.filter(latitude__isnull=False).first()
    unlocated = unserved.filter(latitude__isnull=True).first()

    response = api_client.get(UNSERVED_URL, {"year": 2025, "township": dipu.pk})

    assert response.status_code == 200
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    features = {feature["properties"]["code"]: feature for feature in collection["features"]}
    assert len(features) == active_villages(dipu).count() - 1
    assert dipu_network["served"].code not in features
    exact = features[located.code]
    assert exact["geometry"]["coordinates"] == [float(located.longitude), float(located.latitude)]
    assert exact["properties"]["approximate"] is False
    approximate = features[unlocated.code]
    assert approximate["geometry"]["coordinates"] == [float(dipu.longitude), float(dipu.latitude)]
    assert approximate["properties"]["approximate"] is True
    assert approximate["properties"]["township"] == dipu.name


# Query budgets ------------------------------------------------------------------------------


def spread_collection_points(*, actor, count):
    """`count` operating collection points in as many villages across the county."""
    villages = Village.objects.filter(is_active=True).select_related("township").order_by("code")
    for village in villages[:count]:
        add_site(
            actor=actor, township=village.township, tier=SiteTier.COLLECTION_POINT, village=village
        )


def count_queries(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "fetch",
    [
        lambda client, api_client: client.get(reverse("sites:coverage")),
        lambda client, api_client: api_client.get(COVERAGE_URL),
        lambda client, api_client: api_client.get(UNSERVED_URL),
    ],
    ids=["page", "api", "geojson"],
)
def test_coverage_runs_the_same_few_queries_with_1_or_30_sites(
    client, api_client, commerce_admin, fetch, django_assert_max_num_queries
):
    client.force_login(commerce_admin)
    api_client.force_login(commerce_admin)

    spread_collection_points(actor=commerce_admin, count=1)
    with django_assert_max_num_queries(QUERY_BUDGET):
        with_one = count_queries(lambda: fetch(client, api_client))
    spread_collection_points(actor=commerce_admin, count=30)
    with django_assert_max_num_queries(QUERY_BUDGET):
        with_thirty = count_queries(lambda: fetch(client, api_client))

    assert Site.objects.count() == 31
    assert Township.objects.count() == 15
    assert with_thirty == with_one
