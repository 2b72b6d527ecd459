"""Pages, API and exports: the same scope, the same policy, a fixed number of queries."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from agencies.models import Village
from network.choices import ProjectStage
from network.models import NetworkProject
from sites.models import Site
from tests.network.conftest import make_project

pytestmark = pytest.mark.django_db

POSITION = {"latitude": Decimal("30.630000"), "longitude": Decimal("119.680000")}


@pytest.fixture
def two_townships(commerce_admin, dipu, changshuo, dipu_village, changshuo_village):
    ours = make_project(actor=commerce_admin, township=dipu, village=dipu_village, name="递铺项目")
    theirs = make_project(
        actor=commerce_admin, township=changshuo, village=changshuo_village, name="昌硕项目"
    )
    return ours, theirs


def _sheet_names(response):
    """The names of the projects under the title and header rows (after the 序号 column)."""
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "截至" in sheet["A1"].value and sheet["A2"].value == "序号"
    return [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_a_township_sees_its_own_projects_on_pages_api_and_exports(
    client, api_client, dipu_officer, two_townships
):
    ours, theirs = two_townships
    client.force_login(dipu_officer)
    page = client.get(reverse("network:project-list")).content.decode()
    assert "递铺项目" in page and "昌硕项目" not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("network:project-update", args=[theirs.pk])).status_code == 404
    assert _sheet_names(client.get(reverse("network:project-export"))) == ["递铺项目"]

    api_client.force_authenticate(dipu_officer)
    rows = api_client.get("/api/v1/network-projects/").json()["results"]
    assert [row["name"] for row in rows] == ["递铺项目"]
    assert api_client.get(f"/api/v1/network-projects/{theirs.pk}/").status_code == 404
    assert rows[0]["allowed_actions"] == ["change", "advance", "add_photo"]


def test_the_leader_reads_the_county_and_changes_nothing(client, api_client, leader, two_townships):
    ours, _theirs = two_townships
    client.force_login(leader)
    assert _sheet_names(client.get(reverse("network:project-export"))) == ["递铺项目", "昌硕项目"]
    assert client.get(reverse("network:project-create")).status_code == 403
    api_client.force_authenticate(leader)
    row = api_client.get(f"/api/v1/network-projects/{ours.pk}/").json()
    assert row["allowed_actions"] == []
    response = api_client.post(f"/api/v1/network-projects/{ours.pk}/advance/", {"on": "2024-05-01"})
    assert response.status_code == 403
    ours.refresh_from_db()
    assert ours.stage == ProjectStage.PLANNING


def test_a_grid_worker_cannot_register_a_project(api_client, dipu_grid_worker, dipu):
    api_client.force_authenticate(dipu_grid_worker)
    response = api_client.post(
        "/api/v1/network-projects/",
        {"name": "网点", "kind": "point", "township": dipu.pk, "builder": "递铺街道"},
    )
    assert response.status_code == 403
    assert not NetworkProject.objects.exists()


def test_the_api_takes_a_project_into_operation_and_refuses_bad_input_in_chinese(
    api_client, dipu_officer, dipu, dipu_village
):
    api_client.force_authenticate(dipu_officer)
    response = api_client.post(
        "/api/v1/network-projects/",
        {
            "name": "递铺网点",
            "kind": "point",
            "township": dipu.pk,
            "village": dipu_village.pk,
            "address": "递铺街道某路1号",
            "builder": "递铺街道",
            "subsidy": "-5",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "subsidy" in response.json()
    assert not NetworkProject.objects.exists()

    response = api_client.post(
        "/api/v1/network-projects/",
        {
            "name": "递铺网点",
            "kind": "point",
            "township": dipu.pk,
            "village": dipu_village.pk,
            "address": "递铺街道某路1号",
            "builder": "递铺街道",
            "planned_on": "2024-03-01",
        },
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    for on in ["2024-05-01", "2024-07-01"]:
        assert (
            api_client.post(f"/api/v1/network-projects/{pk}/advance/", {"on": on}).status_code
            == 200
        )
    response = api_client.post(
        f"/api/v1/network-projects/{pk}/advance/",
        {"on": "2025-03-01"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "安吉县境内的位置" in str(response.json())
    api_client.patch(
        f"/api/v1/network-projects/{pk}/", {"latitude": "30.63", "longitude": "119.68"}
    )
    for on in ["2025-03-01", "2025-04-01"]:
        assert (
            api_client.post(f"/api/v1/network-projects/{pk}/advance/", {"on": on}).status_code
            == 200
        )
    project = NetworkProject.objects.get(pk=pk)
    assert project.stage == ProjectStage.OPERATING
    assert Site.objects.get(pk=project.site_id).village == dipu_village


def test_a_township_officer_turns_a_suggestion_into_a_project_in_one_step(
    client, dipu_officer, dipu
):
    Village.objects.update(latitude=None, longitude=None)
    village = Village.objects.filter(township=dipu, is_active=True).first()
    village.latitude, village.longitude = Decimal("30.63"), Decimal("119.68")
    village.save()
    client.force_login(dipu_officer)
    page = client.get(reverse("network:suggestions"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "转为项目" in page.content.decode()

    response = client.post(reverse("network:suggestion-adopt"), {"village": [village.pk]})

    project = NetworkProject.objects.get()
    assert response["Location"] == reverse("network:project-update", args=[project.pk])
    assert (project.village, project.township, project.kind) == (village, dipu, "point")
    assert (project.latitude, project.longitude) == (village.latitude, village.longitude)
    assert project.registered_by == dipu_officer


def test_photos_are_private_to_the_projects_scope(
    client, dipu_officer, commerce_admin, changshuo, changshuo_village, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = make_project(actor=commerce_admin, township=changshuo, village=changshuo_village)
    client.force_login(commerce_admin)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, format="PNG")
    client.post(
        reverse("network:photo-add", args=[project.pk]),
        {"image": SimpleUploadedFile("a.png", buffer.getvalue(), "image/png"), "caption": "选址"},
    )
    photo = project.photos.get()
    assert photo.stage == ProjectStage.PLANNING
    assert client.get(photo.get_absolute_url()).status_code == 200
    client.force_login(dipu_officer)
    assert client.get(photo.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["network:project-list", "network:project-export", "network:progress", "network:suggestions"],
)
def test_lists_and_exports_run_a_fixed_number_of_queries(
    client, commerce_admin, dipu, dipu_village, name, django_assert_max_num_queries
):
    def count():
        with django_assert_max_num_queries(40) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured.captured_queries)

    client.force_login(commerce_admin)
    make_project(actor=commerce_admin, township=dipu, village=dipu_village, **POSITION)
    few = count()
    for _ in range(6):
        make_project(
            actor=commerce_admin,
            township=dipu,
            village=dipu_village,
            planned_approval_on=dt.date(2024, 4, 1),
            **POSITION,
        )
    assert count() == few


def test_the_association_reads_no_network_project_nor_its_investment(
    client, api_client, association, two_townships
):
    """The association is a trade body (四（三）: notices and publicity), not one of the annex's
    builders or funders: the projects, their investment and subsidies are not its to read."""
    ours, _theirs = two_townships
    client.force_login(association)
    for name in (
        "network:project-list",
        "network:project-export",
        "network:progress",
        "network:suggestions",
        "network:suggestion-export",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(ours.get_absolute_url()).status_code in (403, 404)
    assert client.get(reverse("network:project-history", args=[ours.pk])).status_code in (403, 404)
    assert not NetworkProject.objects.visible_to(association).exists()
    api_client.force_authenticate(association)
    response = api_client.get("/api/v1/network-projects/")
    assert response.status_code == 403 or response.json()["results"] == []
    assert api_client.get(f"/api/v1/network-projects/{ours.pk}/").status_code in (403, 404)
    assert api_client.get("/api/v1/network/suggestions/geojson/").status_code == 403
