"""Patrol tasks through the API: a grid worker lists their own, the township officer gives a
task to a grid worker, filing the site's report completes it. The patrol-task policy, its
services and the API agree for every person and action, refusing with the same message."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from inspections.choices import PatrolFrequency, PatrolTaskAction, PatrolTaskStatus
from inspections.models import PatrolPlan, PatrolTask
from inspections.patrols import assign_patrol_task, generate_patrol_tasks
from inspections.policy import PATROL_TASK_POLICY
from inspections.services import file_task_report
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_site, make_user
from tests.policy_walk import api_disagreements

pytestmark = pytest.mark.django_db


@pytest.fixture
def dipu_task(commerce_admin, dipu_grid_worker):
    PatrolPlan.objects.update(is_active=False)
    PatrolPlan.objects.create(name="每周巡查", status="operating", frequency=PatrolFrequency.WEEKLY)
    make_site(actor=commerce_admin)
    generate_patrol_tasks(today=timezone.localdate())
    return PatrolTask.objects.get()


@pytest.fixture
def people(dipu_grid_worker, dipu_officer, commerce_admin, market_officer):
    return {
        "grid worker": dipu_grid_worker,
        "township officer": dipu_officer,
        "other township": make_user("grid_worker", township_code=CHANGSHUO),
        "commerce": commerce_admin,
        "agency officer": market_officer,
    }


def service_call(action, task, person, worker):
    if action == PatrolTaskAction.FILE_REPORT:
        return lambda: file_task_report(task=task, inspector=person, result="passed")
    return lambda: assign_patrol_task(task=task, worker=worker, actor=person)


def api_request(action, task, worker):
    url = f"/api/v1/patrol-tasks/{task.pk}/"
    if action == PatrolTaskAction.FILE_REPORT:
        return ("post", url + "file/", {"result": "passed"})
    return ("post", url + "assign/", {"worker": worker.pk})


@pytest.mark.parametrize("state", [PatrolTaskStatus.OPEN, PatrolTaskStatus.DONE])
def test_the_api_takes_a_patrol_action_exactly_when_the_policy_and_service_do(
    api_client, dipu_task, people, state
):
    colleague = make_user("grid_worker", township_code=DIPU)
    if state == PatrolTaskStatus.DONE:
        file_task_report(task=dipu_task, inspector=people["grid worker"], result="passed")
    with translation.override("zh-hans"):
        found = api_disagreements(
            PATROL_TASK_POLICY,
            load=lambda: PatrolTask.objects.get(pk=dipu_task.pk),
            people=people,
            call=lambda action, task, person: service_call(action, task, person, colleague),
            request=lambda action, task: api_request(action, task, colleague),
            client=api_client,
        )
    assert found == []


def test_a_grid_worker_lists_their_tasks_with_what_they_may_do(
    api_client, dipu_task, dipu_grid_worker
):
    api_client.force_authenticate(dipu_grid_worker)
    listed = api_client.get("/api/v1/patrol-tasks/", {"mine": "true", "status": "open"}).json()
    assert [row["id"] for row in listed["results"]] == [dipu_task.pk]
    assert listed["results"][0]["allowed_actions"] == ["file_report"]


def test_the_township_officer_gives_the_task_to_a_grid_worker_of_the_township_only(
    api_client, dipu_task, dipu_officer
):
    colleague = make_user("grid_worker", township_code=DIPU)
    outsider = make_user("grid_worker", township_code=CHANGSHUO)
    api_client.force_authenticate(dipu_officer)
    url = f"/api/v1/patrol-tasks/{dipu_task.pk}/assign/"
    refused = api_client.post(url, {"worker": outsider.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400
    assert "worker" in refused.json()
    assigned = api_client.post(url, {"worker": colleague.pk})
    assert assigned.status_code == 200
    assert assigned.json()["assigned_to"] == colleague.pk
    assert PatrolTask.objects.get(pk=dipu_task.pk).assigned_to == colleague


def test_filing_the_tasks_report_completes_it_and_outside_its_period_is_refused(
    api_client, dipu_task, dipu_grid_worker
):
    api_client.force_authenticate(dipu_grid_worker)
    url = f"/api/v1/patrol-tasks/{dipu_task.pk}/file/"
    before = dt.datetime.combine(
        dipu_task.period_start - dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC
    )
    late = api_client.post(
        url,
        {"result": "passed", "inspected_at": before.isoformat()},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert late.status_code == 400
    assert "inspected_at" in late.json()
    assert PatrolTask.objects.get(pk=dipu_task.pk).status == PatrolTaskStatus.OPEN
    filed = api_client.post(url, {"result": "passed"}, format="json")
    assert filed.status_code == 201, filed.content
    task = PatrolTask.objects.get(pk=dipu_task.pk)
    assert task.status == PatrolTaskStatus.DONE
    assert task.inspection_id == filed.json()["id"]
