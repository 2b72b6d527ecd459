import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_filter_villages_by_township_and_code(api_client, leader, changshuo):
    api_client.force_authenticate(leader)

    by_township = api_client.get("/api/v1/villages/", {"township": changshuo.pk, "limit": 500})
    uncoded = api_client.get("/api/v1/villages/", {"missing_urban_rural_code": "true"})
    search = api_client.get("/api/v1/villages/", {"q": "余村"})

    assert {row["township"] for row in by_township.json()["results"]} == {changshuo.pk}
    assert all(row["urban_rural_code"] == "" for row in uncoded.json()["results"])
    assert [row["name"] for row in search.json()["results"]] == ["余村村委会"]


def test_filter_duty_rules_by_lead_agency(api_client, leader):
    api_client.force_authenticate(leader)
    market = api_client.get("/api/v1/agencies/", {"code": "market"}).json()["results"][0]

    rules = api_client.get("/api/v1/duty-rules/", {"lead_agency": market["id"]}).json()

    assert sorted(r["category_name"] for r in rules["results"]) == [
        "无照/超范围经营",
        "特种设备安全",
    ]


def test_agencies_list_their_duties(api_client, leader):
    api_client.force_authenticate(leader)

    police = api_client.get("/api/v1/agencies/", {"code": "police"}).json()["results"][0]

    assert police["name"] == "县公安局"
    assert "治安管理" in police["duties"][0]["text"]


def test_commerce_admin_edits_the_duty_table_through_the_api(api_client, commerce_admin):
    api_client.force_authenticate(commerce_admin)
    rule = api_client.get("/api/v1/duty-rules/", {"lead_kind": "township"}).json()["results"][0]

    response = api_client.patch(
        f"/api/v1/duty-rules/{rule['id']}/", {"handle_days": 15}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["handle_days"] == 15


def test_api_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/duty-rules/" in (tmp_path / "s.yml").read_text()


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_are_served(client, leader, url):
    client.force_login(leader)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/villages/", "/api/v1/duty-rules/", "/api/v1/agencies/"])
def test_api_lists_run_a_fixed_number_of_queries(
    api_client, leader, path, django_assert_max_num_queries
):
    api_client.force_authenticate(leader)
    with django_assert_max_num_queries(8):
        response = api_client.get(path, {"limit": 500})
    assert response.status_code == 200
