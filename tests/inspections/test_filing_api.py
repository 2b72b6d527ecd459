"""Filing a patrol report through the API, as the phone page does: the checklist, findings
with photos (multipart, DRF's list notation), the position; the cases they open; refusals with
the service's Chinese message, and nothing saved."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections.models import ChecklistItem, Evidence, Inspection
from tests.factories import make_site, png_bytes

from .conftest import category

pytestmark = pytest.mark.django_db


def png(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def multipart_report(site, *findings, **fields):
    data = {"site": site.pk, "result": "problems", "latitude": "30.638000", "longitude": "119.68"}
    item = ChecklistItem.objects.filter(is_active=True).first()
    data |= {"answers[0]item": item.pk, "answers[0]answer": "no"}
    for index, (code, photos) in enumerate(findings):
        prefix = f"findings[{index}]"
        data[prefix + "category"] = category(code).pk
        data[prefix + "description"] = f"发现{code}问题"
        for number, photo in enumerate(photos):
            data[f"{prefix}photos[{number}]"] = photo
    return data | fields


def test_a_grid_worker_files_a_report_with_photos_and_it_opens_the_routed_cases(
    api_client, dipu_grid_worker, commerce_admin
):
    site = make_site(actor=commerce_admin)
    api_client.force_authenticate(dipu_grid_worker)
    data = multipart_report(site, ("appearance", [png("a.png"), png("b.png")]), ("fire_hazard", []))
    response = api_client.post("/api/v1/inspections/", data, format="multipart")
    assert response.status_code == 201, response.content
    inspection = Inspection.objects.get(pk=response.json()["id"])
    assert inspection.inspector == dipu_grid_worker
    assert str(inspection.latitude) == "30.638000"
    assert inspection.answers.count() == 1
    findings = list(inspection.findings.order_by("pk"))
    assert [f.category.code for f in findings] == ["appearance", "fire_hazard"]
    assert Evidence.objects.filter(finding=findings[0]).count() == 2
    assert all(f.case_id for f in findings)
    assert {f["case_number"] for f in response.json()["findings"]} == {
        f.case.number for f in findings
    }


def test_a_report_as_json_without_photos_is_filed_too(api_client, dipu_grid_worker, commerce_admin):
    site = make_site(actor=commerce_admin)
    api_client.force_authenticate(dipu_grid_worker)
    response = api_client.post(
        "/api/v1/inspections/", {"site": site.pk, "result": "passed"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["findings"] == []


def test_a_site_of_another_township_is_refused_with_the_services_message(
    api_client, dipu_grid_worker, commerce_admin
):
    site = make_site(actor=commerce_admin, township_code="330523002")
    api_client.force_authenticate(dipu_grid_worker)
    response = api_client.post(
        "/api/v1/inspections/",
        multipart_report(site, ("appearance", [png()])),
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您不能巡查本辖区以外的站点。"
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"result": "passed"}, "result", "已填写问题的巡查记录不能标记为“无问题”。"),
        (
            {"inspected_at": (timezone.now() + dt.timedelta(days=1)).isoformat()},
            "inspected_at",
            "巡查时间不能晚于当前时间。",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese_and_saves_nothing(
    api_client, dipu_grid_worker, commerce_admin, fields, field, message
):
    site = make_site(actor=commerce_admin)
    api_client.force_authenticate(dipu_grid_worker)
    response = api_client.post(
        "/api/v1/inspections/",
        multipart_report(site, ("appearance", [png()]), **fields),
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not Inspection.objects.exists()
    assert not Evidence.objects.exists()


def test_a_file_that_is_no_picture_is_refused(api_client, dipu_grid_worker, commerce_admin):
    site = make_site(actor=commerce_admin)
    api_client.force_authenticate(dipu_grid_worker)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    response = api_client.post(
        "/api/v1/inspections/",
        multipart_report(site, ("appearance", [fake])),
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert not Inspection.objects.exists()


def test_an_agency_officer_may_not_file(api_client, market_officer, commerce_admin):
    site = make_site(actor=commerce_admin)
    api_client.force_authenticate(market_officer)
    response = api_client.post(
        "/api/v1/inspections/", {"site": site.pk, "result": "passed"}, format="json"
    )
    assert response.status_code == 403
