"""An attacker with a township officer's account and another township's ids learns nothing
from the JSON API: for every router resource, a row its list does not show answers every
detail route (read, history/timeline/events, update, delete, workflow actions) exactly as an
id that does not exist does (404, or the same refusal), never 5xx, and nothing changes.

The rows are 递铺's (tests/api/rows.py builds them there); the attacker is 昌硕's officer."""

import pytest

from accounts.choices import Role
from anji_recycling.api.urls import router
from tests.conftest import CHANGSHUO
from tests.factories import make_user

from .rows import a_little_of_everything, model_of

pytestmark = pytest.mark.django_db

MISSING = 987654321

# Collections that hold township-scoped rows in the fixture (prices are the county's): the
# walk must find some of their rows hidden from 昌硕, or it checks nothing.
TOWNSHIP_SCOPED = {
    "operators",
    "sites",
    "inspections",
    "cases",
    "patrol-tasks",
    "transfers",
    "shipments",
    "stock-declarations",
    "network-projects",
    "subsidies",
    "land-support-cases",
    "publicity-activities",
}


def detail_routes(prefix, viewset):
    """(method, url-for-id) of every route that takes the row's id."""
    routes = []
    for method, action in (
        ("get", "retrieve"),
        ("patch", "partial_update"),
        ("put", "update"),
        ("delete", "destroy"),
    ):
        if hasattr(viewset, action):
            routes.append((method, lambda pk: f"/api/v1/{prefix}/{pk}/"))
    for extra in viewset.get_extra_actions():
        if not extra.detail:
            continue
        for method in extra.mapping:
            routes.append(
                (method, lambda pk, path=extra.url_path: f"/api/v1/{prefix}/{pk}/{path}/")
            )
    return routes


def visible_ids(client, prefix):
    answer = client.get(f"/api/v1/{prefix}/", {"limit": 1000, "page_size": 1000})
    if answer.status_code != 200:
        return set()
    body = answer.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["id"] for row in rows}


def test_another_townships_ids_answer_like_ids_that_do_not_exist(
    api_client, commerce_admin, dipu_grid_worker, assessor
):
    a_little_of_everything(commerce_admin, dipu_grid_worker, assessor)
    attacker = make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
    api_client.force_authenticate(attacker)

    walked, leaks = set(), []
    for prefix, viewset, _basename in router.registry:
        model = model_of(viewset)
        hidden = sorted(
            set(model.objects.values_list("pk", flat=True)) - visible_ids(api_client, prefix)
        )[:3]
        if not hidden:
            continue
        walked.add(prefix)
        before = model.objects.count()
        for method, url_for in detail_routes(prefix, viewset):
            missing = getattr(api_client, method)(url_for(MISSING), {}, format="json")
            for pk in hidden:
                answer = getattr(api_client, method)(url_for(pk), {}, format="json")
                if (
                    answer.status_code >= 500
                    or 200 <= answer.status_code < 300
                    or answer.status_code != missing.status_code
                    or (method == "get" and answer.status_code != 404)
                ):
                    leaks.append(
                        f"{method.upper()} {url_for(pk)} → {answer.status_code}"
                        f" (missing id → {missing.status_code})"
                    )
        assert model.objects.count() == before, prefix

    assert not leaks, "\n".join(leaks)
    assert walked >= TOWNSHIP_SCOPED, TOWNSHIP_SCOPED - walked
