"""The grid worker's phone (issue #17): 我的巡查 nearest first, the pages a phone keeps for
offline use (only the worker's own tasks), the installable app's manifest and service worker
(served from the portal's root, allowed by the CSP), the checklist naming its categories, and
the report on an unregistered point asking only what applies to it."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from inspections.models import ChecklistItem
from inspections.patrols import generate_patrol_tasks
from sites.models import Site
from tests.conftest import DIPU
from tests.factories import make_site, make_user

pytestmark = pytest.mark.django_db

HERE = ("30.638300", "119.681200")


@pytest.fixture
def two_tasks(commerce_admin, dipu_grid_worker):
    far = make_site(
        actor=commerce_admin, name="远处回收点", latitude="30.700000", longitude="119.750000"
    )
    near = make_site(
        actor=commerce_admin, name="近处回收点", latitude="30.638200", longitude="119.681100"
    )
    generate_patrol_tasks(today=timezone.localdate())
    return near, far


def site_order(response):
    return [task.site.name for task in response.context["current"]]


def test_my_patrols_put_the_nearest_task_first_when_the_phone_gives_its_position(
    client, dipu_grid_worker, two_tasks, django_assert_max_num_queries
):
    client.force_login(dipu_grid_worker)
    url = reverse("inspections:patrol-mine")
    assert client.get("/").url == url  # a grid worker lands on 我的巡查

    by_date = client.get(url)
    assert site_order(by_date) == ["远处回收点", "近处回收点"]  # by due date, then site number
    with django_assert_max_num_queries(20):
        near_first = client.get(url, {"lat": HERE[0], "lng": HERE[1]})
    assert site_order(near_first) == ["近处回收点", "远处回收点"]
    page = near_first.content.decode()
    assert page.count('class="button primary patrol-card-report"') == 2
    assert "data-auto-locate" not in page  # it has the position already
    assert "data-auto-locate" in by_date.content.decode()


def test_the_offline_pack_lists_the_workers_own_tasks_and_their_sites(
    client, commerce_admin, dipu_grid_worker, two_tasks, django_assert_max_num_queries
):
    near, far = two_tasks
    colleague = make_user("grid_worker", township_code=DIPU)
    client.force_login(dipu_grid_worker)
    with django_assert_max_num_queries(8):
        pack = client.get(reverse("inspections:patrol-offline-pack")).json()["pages"]
    mine = {task.site_id for task in dipu_grid_worker.patrol_tasks.all()}
    assert reverse("inspections:patrol-mine") in pack
    for site_id in mine:
        assert reverse("inspections:report-file", args=[site_id]) in pack
        assert reverse("sites:site-detail", args=[site_id]) in pack
    client.force_login(colleague)
    others = client.get(reverse("inspections:patrol-offline-pack")).json()["pages"]
    assert not any(reverse("sites:site-detail", args=[site_id]) in others for site_id in mine)


def test_the_portal_is_an_installable_web_app(client, dipu_grid_worker):
    client.force_login(dipu_grid_worker)
    page = client.get(reverse("inspections:patrol-mine"))
    html = page.content.decode()
    assert f'<link rel="manifest" href="{reverse("pwa-manifest")}">' in html
    csp = page["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp

    manifest = client.get(reverse("pwa-manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["scope"] == "/" and data["start_url"] == "/" and data["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon

    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert "no-cache" in worker["Cache-Control"]
    assert "fetch" in worker.content.decode()
    assert client.get(reverse("pwa-offline")).status_code == 200


def test_every_checklist_item_names_the_category_a_no_opens(db):
    items = ChecklistItem.objects.filter(is_active=True)
    assert items.count() >= 13
    assert not items.filter(category__isnull=True).exists()
    assert set(items.filter(applies_to_unregistered=False).values_list("code", flat=True)) == {
        "licence_shown",
        "filed",
    }


def test_the_report_on_an_illegal_point_asks_only_what_applies(
    client, commerce_admin, dipu_grid_worker
):
    illegal = make_site(actor=commerce_admin, status="illegal", name="无证回收点")
    registered = Site.objects.exclude(pk=illegal.pk).first() or make_site(actor=commerce_admin)
    client.force_login(dipu_grid_worker)

    form = client.get(reverse("inspections:report-file", args=[illegal.pk])).context
    asked = {item.code for item, _ in form["form"].checklist()}
    assert "licence_shown" not in asked and "filed" not in asked
    assert "fire_extinguishers" in asked
    assert "passed" not in dict(form["form"].fields["result"].choices)
    first = form["formset"].forms[0]
    assert first.initial["category"].code == "unlicensed"

    usual = client.get(reverse("inspections:report-file", args=[registered.pk])).context
    assert "licence_shown" in {item.code for item, _ in usual["form"].checklist()}
    assert "passed" in dict(usual["form"].fields["result"].choices)
    assert not usual["formset"].forms[0].initial
