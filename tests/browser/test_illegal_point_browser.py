"""The illegal-point form in Chromium (#17), at phone and laptop width: like the site form, choosing
a township moves the map there and narrows the village list, choosing a village centres the map on
it, a click on the map sets the position; the form asks only what an unregistered point has (no
operator, tier, licence or venue type). Screenshots in test-artifacts/illegal-point-<width>.png."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Village
from sites.models import Site
from tests.factories import make_user

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits, log_in
from .test_position_picker_browser import located_township, map_view

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_the_illegal_point_form_follows_the_township_and_village(browser_page, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    width = viewport["width"]
    township, village = located_township()
    log_in(page, make_user(Role.COMMERCE_ADMIN, username=f"illegal-{width}"))

    page.goto(reverse("inspections:report-illegal-point"))
    page.wait_for_selector(".portal-map[data-map-state=ready][data-pick-ready=true]")
    for field in ("operator", "tier", "status", "venue_type", "licence_valid_until"):
        expect(page.locator(f"#id_{field}")).to_have_count(0)
    before = map_view(page)

    page.select_option("#id_township", str(township.pk))
    page.wait_for_function(
        "zoom => document.querySelector('.portal-map').portalMap.getZoom() > zoom",
        arg=before["zoom"],
    )
    after = map_view(page)
    assert after["x"] > 0 and abs(after["lat"] - float(village.latitude)) < 0.15
    offered = page.eval_on_selector_all(
        "#id_village option:not([value=''])", "options => options.filter(o => !o.hidden).length"
    )
    assert offered == Village.objects.filter(township=township, is_active=True).count()

    page.select_option("#id_village", str(village.pk))
    page.wait_for_function("() => document.querySelector('.portal-map').portalMap.getZoom() === 15")
    centred = map_view(page)
    assert centred["lat"] == pytest.approx(float(village.latitude), abs=1e-4)

    # A click at the village's centre sets the position (no question: it lies in the township).
    box = page.locator(".portal-map").bounding_box()
    page.locator(".portal-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    page.fill("#id_address", f"{village}村口空地")
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / f"illegal-point-{width}.png", full_page=True)
    page.click(".report-submit button[type=submit]")

    site = Site.objects.get(status="illegal")
    expect(page).to_have_url(re.compile(reverse("inspections:report-file", args=[site.pk])))
    assert site.township == township and site.village == village
    assert float(site.latitude) == pytest.approx(float(village.latitude), abs=1e-3)
    assert page.errors == []
