"""A township officer never sees or changes another township's data: pages, admin, API."""

import pytest
from django.urls import reverse

from agencies.models import Village

pytestmark = pytest.mark.django_db


def test_township_officer_lists_only_own_villages_on_the_page(client, dipu_officer, dipu):
    client.force_login(dipu_officer)

    response = client.get(reverse("agencies:village-list"), {"page": 1})

    villages = list(response.context["paginator"].object_list)
    assert villages
    assert {v.township_id for v in villages} == {dipu.pk}


def test_township_officer_lists_only_own_villages_in_the_api(api_client, dipu_officer, dipu):
    api_client.force_authenticate(dipu_officer)

    response = api_client.get("/api/v1/villages/", {"limit": 500})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == Village.objects.filter(township=dipu).count()
    assert {row["township"] for row in rows} == {dipu.pk}


def test_another_townships_village_is_invisible_in_the_api(
    api_client, dipu_officer, changshuo_village
):
    api_client.force_authenticate(dipu_officer)
    url = f"/api/v1/villages/{changshuo_village.pk}/"

    assert api_client.get(url).status_code == 404
    assert api_client.patch(url, {"short_name": "改名"}, format="json").status_code == 404
    changshuo_village.refresh_from_db()
    assert changshuo_village.short_name != "改名"


def test_township_officer_corrects_own_village_but_cannot_move_it(
    api_client, dipu_officer, dipu_village, changshuo
):
    api_client.force_authenticate(dipu_officer)
    url = f"/api/v1/villages/{dipu_village.pk}/"

    ok = api_client.patch(url, {"urban_rural_code": "122"}, format="json")
    moved = api_client.patch(url, {"township": changshuo.pk, "code": "330523002999"}, format="json")

    assert ok.status_code == 200
    # The code and the township are the county's: refused, naming the fields.
    assert moved.status_code == 400
    assert set(moved.json()) == {"township", "code"}
    dipu_village.refresh_from_db()
    assert dipu_village.urban_rural_code == "122"
    assert dipu_village.township.code == "330523001"


def test_another_townships_village_cannot_be_edited_on_the_page(
    client, dipu_officer, changshuo_village, dipu_village
):
    client.force_login(dipu_officer)

    other = client.get(reverse("agencies:village-update", args=[changshuo_village.pk]))
    own = client.get(reverse("agencies:village-update", args=[dipu_village.pk]))

    assert other.status_code == 404
    assert own.status_code == 200


def test_another_townships_village_is_invisible_in_the_admin(
    client, dipu_officer, changshuo_village, dipu_village
):
    client.force_login(dipu_officer)

    changelist = client.get(reverse("admin:agencies_village_changelist"))
    other = client.get(reverse("admin:agencies_village_change", args=[changshuo_village.pk]))
    post = client.post(
        reverse("admin:agencies_village_change", args=[changshuo_village.pk]),
        {"short_name": "改名"},
    )

    assert changelist.status_code == 200
    shown = {v.pk for v in changelist.context["cl"].result_list}
    assert dipu_village.pk in shown
    assert changshuo_village.pk not in shown
    assert other.status_code == 302  # the admin redirects a missing object to its index
    assert post.status_code == 302
    changshuo_village.refresh_from_db()
    assert changshuo_village.short_name != "改名"


def test_agency_officer_reads_county_villages_but_changes_nothing(
    api_client, market_officer, dipu_village
):
    api_client.force_authenticate(market_officer)

    listing = api_client.get("/api/v1/villages/", {"limit": 500})
    patch = api_client.patch(
        f"/api/v1/villages/{dipu_village.pk}/", {"short_name": "改名"}, format="json"
    )

    assert listing.json()["count"] == Village.objects.count()
    assert patch.status_code == 403


def test_township_officer_cannot_change_the_duty_table(api_client, dipu_officer):
    api_client.force_authenticate(dipu_officer)
    rules = api_client.get("/api/v1/duty-rules/").json()["results"]

    response = api_client.patch(
        f"/api/v1/duty-rules/{rules[0]['id']}/", {"handle_days": 99}, format="json"
    )

    assert response.status_code == 403


def test_users_see_only_themselves_unless_county_admin(dipu_officer, commerce_admin):
    from accounts.models import User

    assert list(User.objects.visible_to(dipu_officer)) == [dipu_officer]
    assert User.objects.visible_to(commerce_admin).count() >= 2


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/townships/",
        "/api/v1/villages/",
        "/api/v1/agencies/",
        "/api/v1/duty-rules/",
        "/api/v1/problem-categories/",
    ],
)
def test_unauthenticated_api_calls_are_refused(api_client, url):
    assert api_client.get(url).status_code in (401, 403)


def test_token_authentication_works(api_client, dipu_officer, commerce_admin):
    from accounts.services import issue_api_token

    _token, key = issue_api_token(user=dipu_officer, name="test", actor=commerce_admin)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api_client.get("/api/v1/townships/").json()["count"] == 15


def test_user_without_role_sees_nothing(api_client, client):
    from tests.factories import UserFactory

    nobody = UserFactory()
    nobody.save()
    api_client.force_authenticate(nobody)

    assert api_client.get("/api/v1/villages/").status_code == 403
    client.force_login(nobody)
    assert client.get(reverse("agencies:leading-group")).status_code == 403
