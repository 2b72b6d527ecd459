"""A report sent twice is filed once (issue #17, the phone's offline outbox): each report
carries a report key, the database holds a key once, and the service, the page form, the
outbox's JSON answer and the API all return the inspection already filed for a key they
have seen — even when the task it completed is done by then."""

import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from inspections.models import Case, Evidence, Finding, Inspection, PatrolTask
from inspections.patrols import generate_patrol_tasks
from inspections.services import FindingInput, file_inspection
from tests.conftest import DIPU
from tests.factories import make_site, make_user

from .conftest import category
from .test_filing import file, png, report_data
from .test_filing_api import multipart_report

pytestmark = pytest.mark.django_db

OUTBOX = {"HTTP_X_REQUESTED_WITH": "outbox", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def client(client):
    """The pages in English, so the tests read the msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def counts():
    return (
        Inspection.objects.count(),
        Finding.objects.count(),
        Evidence.objects.count(),
        Case.objects.count(),
    )


def test_the_service_files_a_key_once_and_returns_the_first_inspection(
    dipu_grid_worker, built_up_site
):
    key = uuid.uuid4()
    finding = FindingInput(category=category("appearance"), description="堆放在店外")
    first, again = (
        file_inspection(
            site=built_up_site,
            inspector=dipu_grid_worker,
            result="problems",
            findings=[finding],
            idempotency_key=key,
        )
        for _ in range(2)
    )
    assert not first.replayed and again.replayed
    assert again.pk == first.pk
    assert counts() == (1, 1, 0, 1)


def test_another_persons_key_is_refused_and_nothing_is_saved(dipu_grid_worker, built_up_site):
    key = uuid.uuid4()
    file_inspection(
        site=built_up_site, inspector=dipu_grid_worker, result="passed", idempotency_key=key
    )
    colleague = make_user("grid_worker", township_code=DIPU)
    with pytest.raises(ValidationError, match="另一|another|其他人"):
        file_inspection(
            site=built_up_site, inspector=colleague, result="passed", idempotency_key=key
        )
    assert Inspection.objects.count() == 1


def test_the_database_holds_a_key_once(dipu_grid_worker, built_up_site):
    key = uuid.uuid4()
    file_inspection(
        site=built_up_site, inspector=dipu_grid_worker, result="passed", idempotency_key=key
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.create(
            site=built_up_site,
            township=built_up_site.township,
            inspector=dipu_grid_worker,
            result="passed",
            idempotency_key=key,
        )
    # Reports without a key (older phones, the admin) are not limited.
    for _ in range(2):
        file_inspection(site=built_up_site, inspector=dipu_grid_worker, result="passed")
    assert Inspection.objects.count() == 3


def test_the_page_form_sent_twice_files_one_report_and_shows_it(
    client, dipu_grid_worker, built_up_site
):
    client.force_login(dipu_grid_worker)
    form = client.get(reverse("inspections:report-file", args=[built_up_site.pk]))
    key = form.context["form"]["idempotency_key"].value()
    assert uuid.UUID(str(key))
    assert f'name="idempotency_key" value="{key}"' in form.content.decode()
    data = report_data({"category": "appearance", "photos": [png()]}, idempotency_key=key)

    first = file(client, built_up_site, data)
    data["findings-0-photos"] = png()  # the browser sends the photo again
    second = file(client, built_up_site, data)

    inspection = Inspection.objects.get()
    assert first["Location"] == second["Location"] == inspection.get_absolute_url()
    assert counts() == (1, 1, 1, 1)
    page = client.get(second["Location"]).content.decode()
    assert "This report had already been filed" in page


def test_the_outbox_gets_json_filed_once_and_refusals_in_chinese(
    dipu_grid_worker, built_up_site, client
):
    client.force_login(dipu_grid_worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    key = str(uuid.uuid4())
    data = report_data({"category": "appearance", "photos": [png()]}, idempotency_key=key)
    url = reverse("inspections:report-file", args=[built_up_site.pk])

    first = client.post(url, data, **OUTBOX)
    data["findings-0-photos"] = png()
    second = client.post(url, data, **OUTBOX)

    inspection = Inspection.objects.get()
    assert first.status_code == 201 and second.status_code == 200
    assert first.json() == {
        "inspection": inspection.pk,
        "url": inspection.get_absolute_url(),
        "replayed": False,
    }
    assert second.json()["replayed"] is True
    assert str(inspection.idempotency_key) == key

    refused = client.post(
        url, report_data(result="problems", idempotency_key=str(uuid.uuid4())), **OUTBOX
    )
    assert refused.status_code == 400
    assert any("问题" in message for message in refused.json()["errors"])
    assert Inspection.objects.count() == 1


def test_the_api_answers_a_replay_with_the_inspection_already_filed(
    api_client, dipu_grid_worker, commerce_admin
):
    site = make_site(actor=commerce_admin)
    api_client.force_authenticate(dipu_grid_worker)
    key = str(uuid.uuid4())
    data = multipart_report(site, ("appearance", [png()]), idempotency_key=key)

    first = api_client.post("/api/v1/inspections/", data, format="multipart")
    data = multipart_report(site, ("appearance", [png()]), idempotency_key=key)
    second = api_client.post("/api/v1/inspections/", data, format="multipart")

    assert first.status_code == 201, first.content
    assert second.status_code == 200, second.content
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["idempotency_key"] == key
    assert counts() == (1, 1, 1, 1)


def test_a_task_report_sent_again_after_the_task_is_done_returns_it(
    api_client, dipu_grid_worker, commerce_admin
):
    site = make_site(actor=commerce_admin)
    generate_patrol_tasks(today=timezone.localdate())
    task = PatrolTask.objects.get(site=site, assigned_to=dipu_grid_worker)
    api_client.force_authenticate(dipu_grid_worker)
    url = f"/api/v1/patrol-tasks/{task.pk}/file/"
    body = {"result": "passed", "idempotency_key": str(uuid.uuid4())}

    first = api_client.post(url, body, format="json")
    second = api_client.post(url, body, format="json")

    assert first.status_code == 201, first.content
    assert second.status_code == 200, second.content
    assert Inspection.objects.count() == 1
    task.refresh_from_db()
    assert task.status == "done" and task.inspection_id == first.json()["id"]


def test_a_report_without_a_result_takes_the_findings_one(client, dipu_grid_worker, built_up_site):
    client.force_login(dipu_grid_worker)
    file(client, built_up_site, report_data(result=""))
    file(client, built_up_site, report_data({"category": "appearance"}, result=""))
    serious = {"category": "fire_hazard", "serious": True}
    file(client, built_up_site, report_data(serious, result=""))
    results = list(Inspection.objects.order_by("pk").values_list("result", flat=True))
    assert results == ["passed", "problems", "serious"]
