"""The villages' reference layer (/api/v1/villages/reference/ and /api/v1/public/villages/):
the position picker and the maps read each village's code, name, township and centre from it.
Scoped like the rest of the API; absurd parameters and other townships' ids answer 400 in
Chinese, never 500; the public answer carries only the public reference fields and no cookie."""

import pytest
from django.urls import reverse

from agencies.models import Township, Village
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/villages/reference/"
PUBLIC_URL = "/api/v1/public/villages/"
HUGE = str(10**30)
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def codes(response):
    return {feature["properties"]["code"] for feature in response.json()["features"]}


def current_codes(**filters):
    return set(Village.objects.filter(is_active=True, **filters).values_list("code", flat=True))


def test_the_reference_layer_gives_every_current_village_its_centre(api_client, leader, dipu):
    api_client.force_authenticate(leader)

    response = api_client.get(URL, {"township": dipu.pk})

    assert response.status_code == 200
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert codes(response) == current_codes(township=dipu)
    features = {f["properties"]["code"]: f for f in collection["features"]}
    located = Village.objects.filter(township=dipu, latitude__isnull=False).first()
    unlocated = Village.objects.filter(township=dipu, is_active=True, latitude__isnull=True).first()
    assert features[located.code]["id"] == located.pk
    assert features[located.code]["geometry"] == {
        "type": "Point",
        "coordinates": [float(located.longitude), float(located.latitude)],
    }
    assert features[located.code]["properties"] == {
        "code": located.code,
        "name": located.short_name,
        "official_name": located.name,
        "kind": located.kind,
        "township": "递铺街道",
        "township_code": DIPU,
        "township_id": dipu.pk,
        "approximate": False,
    }
    approximate = features[unlocated.code]
    assert approximate["geometry"]["coordinates"] == [float(dipu.longitude), float(dipu.latitude)]
    assert approximate["properties"]["approximate"] is True


def test_a_township_officer_sees_only_the_villages_of_their_township(
    api_client, dipu_officer, changshuo
):
    api_client.force_authenticate(dipu_officer)

    everything = api_client.get(URL)
    assert everything.status_code == 200
    assert codes(everything) == current_codes(township__code=DIPU)

    # Another township's id is not a choice: refused in Chinese, naming the parameter.
    other = api_client.get(URL, {"township": changshuo.pk}, **ZH)
    assert other.status_code == 400
    assert "township" in other.json()
    assert "选择" in other.json()["township"][0]
    assert CHANGSHUO not in other.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"township": "abc"},
        {"township": HUGE},
        {"township": "-1"},
        {"township": "1.5"},
        {"township": "0"},
        {"township": "\x00"},
        {"kind": "城市"},
    ],
)
def test_absurd_parameters_answer_400_in_chinese(api_client, commerce_admin, params):
    api_client.force_authenticate(commerce_admin)

    response = api_client.get(URL, params, **ZH)

    assert response.status_code == 400, response.content
    message = response.content.decode()
    assert any("\u4e00" <= character <= "\u9fff" for character in message), message


def test_a_long_search_or_an_unknown_ordering_answers_a_layer(api_client, commerce_admin):
    api_client.force_authenticate(commerce_admin)

    response = api_client.get(URL, {"q": "村" * 5000})
    assert response.status_code == 200
    assert response.json()["features"] == []

    # Orderings it does not know are ignored (DRF's OrderingFilter), not a way to sort by a
    # hidden field.
    response = api_client.get(URL, {"ordering": "password"})
    assert response.status_code == 200
    assert codes(response) == current_codes()


def test_the_reference_layer_needs_a_role(api_client):
    assert api_client.get(URL).status_code in (401, 403)
    no_role_user = UserFactory()
    no_role_user.save()
    api_client.force_authenticate(no_role_user)
    assert api_client.get(URL).status_code == 403


def test_the_reference_layer_costs_the_same_few_queries_for_the_whole_county(
    api_client, commerce_admin, django_assert_max_num_queries
):
    api_client.force_authenticate(commerce_admin)
    api_client.get(URL)  # the session and the user's role, once
    with django_assert_max_num_queries(4):
        response = api_client.get(URL)
    assert codes(response) == current_codes()


# The public variant ---------------------------------------------------------------------------


def test_the_public_layer_shows_only_public_reference_fields_and_sets_no_cookie(client, dipu):
    response = client.get(PUBLIC_URL, {"township": DIPU})

    assert response.status_code == 200
    assert not response.cookies
    features = response.json()["features"]
    assert {f["properties"]["code"] for f in features} == current_codes(township=dipu)
    for feature in features:
        assert set(feature) == {"type", "geometry", "properties"}  # no database id
        assert set(feature["properties"]) == {
            "code",
            "name",
            "official_name",
            "kind",
            "township",
            "township_code",
            "approximate",
        }
    assert reverse("api:public-village-list") == PUBLIC_URL


def test_the_public_layer_without_a_township_is_the_whole_county(client):
    response = client.get(PUBLIC_URL)

    assert response.status_code == 200
    assert {f["properties"]["code"] for f in response.json()["features"]} == current_codes()


def test_the_public_layer_follows_a_village_moved_on_the_map(client, commerce_admin, dipu):
    from agencies.services import save_village

    village = Village.objects.filter(township=dipu, is_active=True).first()
    client.get(PUBLIC_URL)  # cached
    village.latitude, village.longitude = 30.600001, 119.600001
    save_village(village=village, actor=commerce_admin)

    features = {f["properties"]["code"]: f for f in client.get(PUBLIC_URL).json()["features"]}

    assert features[village.code]["geometry"]["coordinates"] == [119.600001, 30.600001]


@pytest.mark.parametrize("township", ["330523999", "abc", HUGE, "", "3305230011"])
def test_the_public_layer_refuses_an_unknown_township_in_chinese(client, township):
    response = client.get(PUBLIC_URL, {"township": township}, **ZH)

    if township == "":
        assert response.status_code == 200  # no filter
        return
    assert response.status_code == 400
    assert not response.cookies
    message = response.json()["township"][0]
    assert any("\u4e00" <= character <= "\u9fff" for character in message), message


def test_the_public_layer_is_answered_from_the_cache(client, django_assert_max_num_queries):
    client.get(PUBLIC_URL)
    with django_assert_max_num_queries(0):
        assert client.get(PUBLIC_URL, {"township": DIPU}).status_code == 200


def test_every_township_of_the_public_layer_is_a_township_of_the_county(client):
    found = {f["properties"]["township_code"] for f in client.get(PUBLIC_URL).json()["features"]}
    assert found <= set(Township.objects.values_list("code", flat=True))
