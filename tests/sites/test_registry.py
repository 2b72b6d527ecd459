"""Registering and finding sites and operators in the portal, the API and the map layer."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agencies.models import Village
from sites.models import Material, Operator, Site
from tests.factories import credit_code, make_operator, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def dipu_station(dipu_officer):
    return make_site(actor=dipu_officer, tier=2, name="递铺街道中转分拣站")


def test_township_officer_registers_a_collection_point_in_the_portal(
    client, dipu_officer, dipu_station
):
    village = Village.objects.get(code="330523001018")  # 长乐社区
    operator = make_operator(actor=dipu_officer)
    client.force_login(dipu_officer)

    response = client.post(
        reverse("sites:site-create"),
        {
            "name": "长乐社区回收点",
            "tier": 3,
            "status": "operating",
            "township": village.township_id,
            "village": village.pk,
            "venue_type": "community",
            "address": "递铺街道长乐社区1号",
            "latitude": "30.6590",
            "longitude": "119.6920",
            "operator": operator.pk,
            "parent": dipu_station.pk,
            "materials": [m.pk for m in Material.objects.filter(code__in=["paper", "plastic"])],
            "floor_area": "30",
            "daily_capacity": "0.5",
            "contact_phone": "0572-5123456",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    site = Site.objects.get(name="长乐社区回收点")
    assert response["Location"] == site.get_absolute_url()
    assert site.code.startswith("330523001-3-")
    assert site.parent == dipu_station
    assert sorted(site.materials.values_list("code", flat=True)) == ["paper", "plastic"]
    assert site.status_changes.get().actor == dipu_officer
    assert site.history.get().history_user == dipu_officer
    listing = client.get(reverse("sites:site-list"), {"q": "长乐"}).content.decode()
    assert "长乐社区回收点" in listing


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": "31.23", "longitude": "121.47"}, "latitude"),  # Shanghai
        ({"village": "330523002029"}, "village"),  # 广场社区 is in 昌硕街道
        ({"venue_type": "mall", "tier": 2, "parent": ""}, "venue_type"),
        ({"contact_phone": "12345"}, "contact_phone"),
    ],
)
def test_bad_site_data_is_refused_with_a_message_and_nothing_saved(
    client, dipu_officer, dipu_station, changes, field
):
    village = Village.objects.get(code="330523001018")
    data = {
        "name": "坏数据回收点",
        "tier": 3,
        "status": "planned",
        "township": village.township_id,
        "village": village.pk,
        "address": "某路",
        "parent": dipu_station.pk,
    }
    if "village" in changes:
        changes = {"village": Village.objects.get(code=changes["village"]).pk}
    data.update(changes)
    client.force_login(dipu_officer)

    response = client.post(reverse("sites:site-create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors or form.non_field_errors()
    assert not Site.objects.filter(name="坏数据回收点").exists()


def test_a_collection_point_must_deliver_to_a_transfer_station(dipu_officer):
    from django.core.exceptions import ValidationError

    point = make_site(actor=dipu_officer, tier=3)
    with pytest.raises(ValidationError) as error:
        make_site(actor=dipu_officer, tier=3, parent=point)
    assert "parent" in error.value.message_dict


def test_status_change_through_the_page_shows_on_the_timeline(client, dipu_officer):
    site = make_site(actor=dipu_officer, status="operating")
    client.force_login(dipu_officer)

    client.post(
        reverse("sites:site-status", args=[site.pk]), {"to": "rectifying", "reason": "无台账"}
    )
    page = client.get(site.get_absolute_url()).content.decode()

    site.refresh_from_db()
    assert site.status == "rectifying"
    assert "无台账" in page


def test_refused_status_change_through_the_page_changes_nothing(client, dipu_officer):
    site = make_site(actor=dipu_officer, status="banned")
    client.force_login(dipu_officer)

    client.post(reverse("sites:site-status", args=[site.pk]), {"to": "operating", "reason": "x"})

    site.refresh_from_db()
    assert site.status == "banned"


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_photos_are_validated_and_stored(client, dipu_officer):
    site = make_site(actor=dipu_officer)
    client.force_login(dipu_officer)
    url = reverse("sites:site-photo", args=[site.pk])

    client.post(url, {"image": SimpleUploadedFile("a.png", _png(), "image/png")})
    client.post(url, {"image": SimpleUploadedFile("b.jpg", b"plain text", "image/jpeg")})

    assert site.photos.count() == 1
    assert site.photos.get().image.name.startswith(f"sites/{site.pk}/")


def test_operator_with_a_bad_credit_code_is_refused(client, dipu_officer, dipu):
    client.force_login(dipu_officer)
    data = {
        "name": "某回收站",
        "kind": "individual",
        "credit_code": credit_code(7)[:-1] + ("0" if credit_code(7)[-1] != "0" else "1"),
        "legal_representative": "李四",
        "contact_phone": "13800001111",
        "township": dipu.pk,
    }
    response = client.post(reverse("sites:operator-create"), data)
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    data["credit_code"] = credit_code(7).lower()
    response = client.post(reverse("sites:operator-create"), data)
    assert response.status_code == 302
    assert Operator.objects.get(name="某回收站").credit_code == credit_code(7)


def test_unfiled_and_expiring_filters(client, commerce_admin):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    late = make_operator(
        actor=commerce_admin, seed=11, licence_issued_on=today - dt.timedelta(days=45)
    )
    filed = make_operator(
        actor=commerce_admin,
        seed=12,
        licence_issued_on=today - dt.timedelta(days=45),
        filed_on=today - dt.timedelta(days=20),
        filing_number="AJ-2026-001",
        licence_valid_until=today + dt.timedelta(days=10),
    )
    client.force_login(commerce_admin)

    unfiled = client.get(reverse("sites:operator-list"), {"unfiled": "true"}).context["object_list"]
    expiring = client.get(reverse("sites:operator-list"), {"licence_expiring_within": 30}).context[
        "object_list"
    ]

    assert late in unfiled and filed not in unfiled
    assert list(expiring) == [filed]


class TestScoping:
    """A township officer never sees another township's sites: page, API, GeoJSON, admin."""

    @pytest.fixture
    def sites(self, commerce_admin):
        dipu_site = make_site(
            actor=commerce_admin, township_code="330523001", latitude=30.63, longitude=119.68
        )
        other = make_site(
            actor=commerce_admin, township_code="330523002", latitude=30.64, longitude=119.69
        )
        return dipu_site, other

    def test_page_list_and_detail(self, client, dipu_officer, sites):
        dipu_site, other = sites
        client.force_login(dipu_officer)
        listed = list(client.get(reverse("sites:site-list")).context["object_list"])
        assert listed == [dipu_site]
        assert client.get(other.get_absolute_url()).status_code == 404
        assert client.get(reverse("sites:site-update", args=[other.pk])).status_code == 404
        response = client.post(
            reverse("sites:site-status", args=[other.pk]), {"to": "rectifying", "reason": "x"}
        )
        assert response.status_code == 404

    def test_api_and_geojson(self, api_client, dipu_officer, sites):
        dipu_site, other = sites
        api_client.force_authenticate(dipu_officer)
        rows = api_client.get("/api/v1/sites/").json()["results"]
        features = api_client.get("/api/v1/sites/geojson/").json()["features"]
        other_township = api_client.get("/api/v1/sites/", {"township": other.township_id})
        assert [row["id"] for row in rows] == [dipu_site.pk]
        assert [feature["id"] for feature in features] == [dipu_site.pk]
        # Another township is not a choice for them: refused, or nothing found.
        assert other_township.status_code == 400 or other_township.json()["results"] == []
        assert api_client.get(f"/api/v1/sites/{other.pk}/").status_code == 404

    def test_api_refuses_a_site_in_another_township(self, api_client, dipu_officer, changshuo):
        api_client.force_authenticate(dipu_officer)
        village = Village.objects.filter(township=changshuo).first()
        response = api_client.post(
            "/api/v1/sites/",
            {
                "name": "越界",
                "tier": 3,
                "status": "planned",
                "township": changshuo.pk,
                "village": village.pk,
                "address": "昌硕街道",
            },
            format="json",
        )
        # Another township is not among the choices the page's form offers them either.
        assert response.status_code == 400
        assert set(response.json()) >= {"township", "village"}
        assert not Site.objects.filter(name="越界").exists()

    def test_agency_officer_reads_but_cannot_change(self, api_client, market_officer, sites):
        dipu_site, _other = sites
        api_client.force_authenticate(market_officer)
        assert api_client.get("/api/v1/sites/").json()["count"] == 2
        response = api_client.post(
            f"/api/v1/sites/{dipu_site.pk}/change-status/",
            {"to": "rectifying", "reason": "x"},
            format="json",
        )
        assert response.status_code == 403

    def test_admin(self, client, dipu_officer, sites):
        dipu_site, other = sites
        client.force_login(dipu_officer)
        changelist = client.get(reverse("admin:sites_site_changelist"))
        assert [s.pk for s in changelist.context["cl"].result_list] == [dipu_site.pk]
        assert client.get(reverse("admin:sites_site_change", args=[other.pk])).status_code == 302


def test_api_status_change_and_timeline(api_client, dipu_officer):
    site = make_site(actor=dipu_officer, status="operating")
    api_client.force_authenticate(dipu_officer)

    bad = api_client.post(
        f"/api/v1/sites/{site.pk}/change-status/", {"to": "planned", "reason": "x"}, format="json"
    )
    good = api_client.post(
        f"/api/v1/sites/{site.pk}/change-status/",
        {"to": "suspended", "reason": "停业整顿"},
        format="json",
    )
    timeline = api_client.get(f"/api/v1/sites/{site.pk}/timeline/").json()

    assert bad.status_code == 400
    assert good.status_code == 200
    assert good.json()["status"] == "suspended"
    assert [row["to_status"] for row in timeline] == ["suspended", "operating"]


@pytest.mark.parametrize("count", [1, 12])
def test_lists_run_a_fixed_number_of_queries(
    client, api_client, leader, commerce_admin, count, django_assert_max_num_queries
):
    operator = make_operator(actor=commerce_admin)
    station = make_site(actor=commerce_admin, tier=2)
    for _ in range(count):
        site = make_site(
            actor=commerce_admin, operator=operator, parent=station, latitude=30.6, longitude=119.6
        )
        site.materials.set(Material.objects.all()[:3])
    client.force_login(leader)
    api_client.force_authenticate(leader)

    with django_assert_max_num_queries(15):
        assert client.get(reverse("sites:site-list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/v1/sites/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api_client.get("/api/v1/sites/geojson/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sites:operator-list")).status_code == 200


def test_positions_from_phones_are_rounded_to_six_places(dipu_officer):
    from decimal import Decimal

    site = make_site(actor=dipu_officer, latitude=30.6590123456, longitude="119.69201234")
    site.refresh_from_db()
    assert (site.latitude, site.longitude) == (Decimal("30.659012"), Decimal("119.692012"))


def test_site_and_operator_history_pages_show_who_changed_what(client, dipu_officer):
    operator = make_operator(actor=dipu_officer)
    site = make_site(actor=dipu_officer, operator=operator)
    site.address = "递铺街道新地址8号"
    from sites.services import update_site

    update_site(site=site, actor=dipu_officer)
    client.force_login(dipu_officer)

    page = client.get(reverse("sites:site-history", args=[site.pk])).content.decode()
    operator_page = client.get(reverse("sites:operator-history", args=[operator.pk]))

    assert "递铺街道新地址8号" in page
    assert dipu_officer.username in page
    assert operator_page.status_code == 200


def test_an_illegal_point_is_recorded_only_in_the_recorders_township(
    dipu_grid_worker, dipu, changshuo
):
    from django.core.exceptions import PermissionDenied

    from sites.services import record_illegal_point

    point = record_illegal_point(
        township=dipu,
        name="无证回收点",
        address="递铺街道某路口",
        latitude="30.63",
        longitude="119.68",
        actor=dipu_grid_worker,
    )
    assert (point.status, point.tier, point.township) == ("illegal", 3, dipu)
    with pytest.raises(PermissionDenied):
        record_illegal_point(
            township=changshuo,
            name="无证回收点",
            address="昌硕街道某路口",
            latitude="30.64",
            longitude="119.69",
            actor=dipu_grid_worker,
        )
