"""Bulk actions (issue #17): a township officer registers several reported cases from the case
list at once, and gives several unassigned patrol tasks to one grid worker. All or nothing;
another township's rows, unknown ids and absurd input are refused in Chinese, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.choices import Role
from inspections.models import Case, PatrolPlan, PatrolTask
from tests.conftest import CHANGSHUO
from tests.factories import make_patrol_task, make_site, make_user

from .conftest import report

pytestmark = pytest.mark.django_db

BULK_CASES = reverse("inspections:cases-bulk-act")
BULK_TASKS = reverse("inspections:patrol-tasks-assign")


def _messages(response):
    """The messages this response added (those of earlier posts are still stored)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


def _statuses(cases):
    return [Case.objects.get(pk=case.pk).status for case in cases]


@pytest.fixture
def dipu_cases(built_up_site, dipu_grid_worker):
    return report(built_up_site, dipu_grid_worker, "fire_hazard", "unlicensed")


@pytest.fixture
def changshuo_case(commerce_admin):
    site = make_site(actor=commerce_admin, township_code=CHANGSHUO)
    grid = make_user(Role.GRID_WORKER, township_code=CHANGSHUO)
    (case,) = report(site, grid, "fire_hazard")
    return case


def test_a_township_officer_registers_several_reported_cases_from_the_list(
    client, dipu_officer, dipu_cases
):
    client.force_login(dipu_officer)
    page = client.get(reverse("inspections:case-list"))
    html = page.content.decode()
    assert 'id="case-bulk"' in html
    for case in dipu_cases:
        assert f'name="cases" value="{case.pk}" form="case-bulk"' in html
    assert page.context["bulk_actions"] == [("register", "立案")]

    back = reverse("inspections:case-list") + "?status=reported"
    response = client.post(
        BULK_CASES,
        {"action": "register", "cases": [c.pk for c in dipu_cases], "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert _statuses(dipu_cases) == ["registered", "registered"]
    assert _messages(response) == ["立案：2 件案件。"]
    # Registered, they are dispatched at once the same way.
    response = client.post(BULK_CASES, {"action": "dispatch", "cases": [c.pk for c in dipu_cases]})
    assert _statuses(dipu_cases) == ["dispatched", "dispatched"]
    # Each case's timeline has its own event, by the officer.
    for case in dipu_cases:
        assert case.events.filter(action="register", actor=dipu_officer).count() == 1


def test_one_refused_case_changes_none_and_is_named(client, dipu_officer, dipu_cases):
    first, second = dipu_cases
    client.force_login(dipu_officer)
    client.post(BULK_CASES, {"action": "register", "cases": [first.pk]})
    response = client.post(BULK_CASES, {"action": "dispatch", "cases": [first.pk, second.pk]})
    assert response.status_code == 302
    assert _statuses(dipu_cases) == ["registered", "reported"]
    (message,) = _messages(response)
    assert message.startswith(f"案件 {second.number}：") and message.endswith("未更改任何案件。")


def test_an_agency_officer_is_offered_no_bulk_action(client, fire_officer, dipu_cases):
    client.force_login(fire_officer)
    page = client.get(reverse("inspections:case-list"))
    assert page.context["bulk_actions"] == []
    assert 'id="case-bulk"' not in page.content.decode()
    response = client.post(BULK_CASES, {"action": "register", "cases": [dipu_cases[0].pk]})
    assert _statuses(dipu_cases) == ["reported", "reported"]
    assert _messages(response)[0].startswith(f"案件 {dipu_cases[0].number}：")


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"action": "register"}, "请先勾选案件。"),
        ({"action": "close", "cases": ["CASE"]}, "选择一个有效的选项"),
        ({"action": "register", "cases": ["abc"]}, "“abc”不是案件。"),
        ({"action": "register", "cases": [str(n) for n in range(101)]}, "一次最多勾选 100 行。"),
        ({"action": "register", "cases": ["99999999999999999999"]}, "99999999999999999999"),
    ],
)
def test_absurd_bulk_input_is_refused_in_chinese(client, dipu_officer, dipu_cases, data, expected):
    cases = [dipu_cases[0].pk if v == "CASE" else v for v in data.get("cases", [])]
    data = {**data, "cases": cases}
    client.force_login(dipu_officer)
    response = client.post(BULK_CASES, data)
    assert response.status_code == 302
    assert any(expected in message for message in _messages(response)), _messages(response)
    assert _statuses(dipu_cases) == ["reported", "reported"]


def test_another_townships_case_id_is_refused_and_nothing_moves(
    client, dipu_officer, dipu_cases, changshuo_case
):
    client.force_login(dipu_officer)
    response = client.post(
        BULK_CASES, {"action": "register", "cases": [dipu_cases[0].pk, changshuo_case.pk]}
    )
    assert response.status_code == 302
    assert _statuses([*dipu_cases, changshuo_case]) == ["reported"] * 3
    (message,) = _messages(response)
    assert f"案件 {changshuo_case.pk} 不在您的范围内" in message


def test_bulk_cases_page_answers_only_post(client, dipu_officer):
    client.force_login(dipu_officer)
    assert client.get(BULK_CASES).status_code == 405


# Patrol tasks -------------------------------------------------------------------------------


@pytest.fixture
def unassigned(commerce_admin):
    plan = PatrolPlan.objects.create(name="月巡", status="operating", frequency="monthly")
    dipu = [make_patrol_task(make_site(actor=commerce_admin), plan=plan) for _ in range(3)]
    changshuo = make_patrol_task(
        make_site(actor=commerce_admin, township_code=CHANGSHUO), plan=plan
    )
    return dipu, changshuo


def test_a_township_officer_gives_several_tasks_to_one_grid_worker(
    client, dipu_officer, dipu_grid_worker, unassigned
):
    dipu, changshuo = unassigned
    client.force_login(dipu_officer)
    html = client.get(reverse("inspections:patrol-unassigned")).content.decode()
    assert 'id="task-bulk"' in html and f'<option value="{dipu_grid_worker.pk}">' in html
    for task in dipu:
        assert f'name="tasks" value="{task.pk}" form="task-bulk"' in html
    assert f'value="{changshuo.pk}" form="task-bulk"' not in html

    response = client.post(
        BULK_TASKS, {"worker": dipu_grid_worker.pk, "tasks": [t.pk for t in dipu[:2]]}
    )
    assert response.status_code == 302
    assigned = [PatrolTask.objects.get(pk=t.pk).assigned_to_id for t in dipu]
    assert assigned == [dipu_grid_worker.pk, dipu_grid_worker.pk, None]
    assert _messages(response) == [f"已将 2 项巡查任务分配给 {dipu_grid_worker}。"]


def test_tasks_of_another_township_or_its_worker_are_refused(
    client, dipu_officer, dipu_grid_worker, unassigned
):
    dipu, changshuo = unassigned
    changshuo_worker = make_user(Role.GRID_WORKER, township_code=CHANGSHUO)
    client.force_login(dipu_officer)
    # Another township's task id: as if it did not exist.
    response = client.post(
        BULK_TASKS, {"worker": dipu_grid_worker.pk, "tasks": [dipu[0].pk, changshuo.pk]}
    )
    assert any(f"巡查任务 {changshuo.pk} 不在您的范围内" in m for m in _messages(response))
    # Another township's grid worker: refused naming the site, nothing given out.
    response = client.post(
        BULK_TASKS, {"worker": changshuo_worker.pk, "tasks": [t.pk for t in dipu]}
    )
    (message,) = _messages(response)
    assert message.startswith("巡查任务") and message.endswith("未更改任何任务。")
    assert not PatrolTask.objects.filter(assigned_to__isnull=False).exists()
    # Absurd workers.
    for worker in ("", "abc", "99999999999", "-1"):
        response = client.post(BULK_TASKS, {"worker": worker, "tasks": [dipu[0].pk]})
        assert response.status_code == 302 and _messages(response)
    assert not PatrolTask.objects.filter(assigned_to__isnull=False).exists()


def test_a_grid_worker_may_not_give_out_tasks(client, dipu_grid_worker, unassigned):
    dipu, _ = unassigned
    client.force_login(dipu_grid_worker)
    response = client.post(BULK_TASKS, {"worker": dipu_grid_worker.pk, "tasks": [dipu[0].pk]})
    assert response.status_code == 403
    assert PatrolTask.objects.get(pk=dipu[0].pk).assigned_to_id is None
