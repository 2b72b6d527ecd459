"""The API names a village as the pages do (康山村, str(village)), with its NBS name
(康山村委会) in a field of its own: sites and network projects, list and detail."""

import pytest

from agencies.models import Village
from tests.factories import make_site
from tests.network.conftest import make_project

pytestmark = pytest.mark.django_db

KANGSHAN = "330523001205"  # 康山村委会, 递铺街道 (its 2023 code)


@pytest.fixture
def kangshan():
    village = Village.objects.get(code=KANGSHAN)
    assert (village.name, str(village)) == ("康山村委会", "康山村")
    return village


def test_a_sites_village_is_its_short_name_with_the_official_name_beside(
    api_client, commerce_admin, kangshan
):
    site = make_site(actor=commerce_admin, village=kangshan)
    api_client.force_authenticate(commerce_admin)

    detail = api_client.get(f"/api/v1/sites/{site.pk}/").json()
    listed = api_client.get("/api/v1/sites/", {"limit": 50}).json()["results"]

    for body in (detail, next(row for row in listed if row["id"] == site.pk)):
        assert body["village_name"] == "康山村"
        assert body["village_official_name"] == "康山村委会"


def test_a_projects_village_is_its_short_name_with_the_official_name_beside(
    api_client, commerce_admin, kangshan
):
    project = make_project(actor=commerce_admin, township=kangshan.township, village=kangshan)
    without = make_project(actor=commerce_admin, township=kangshan.township, kind="station")
    api_client.force_authenticate(commerce_admin)

    detail = api_client.get(f"/api/v1/network-projects/{project.pk}/").json()
    listed = api_client.get("/api/v1/network-projects/", {"limit": 50}).json()["results"]

    assert (detail["village_name"], detail["village_official_name"]) == ("康山村", "康山村委会")
    rows = {row["id"]: row for row in listed}
    assert rows[project.pk]["village_name"] == "康山村"
    assert (rows[without.pk]["village_name"], rows[without.pk]["village_official_name"]) == ("", "")
