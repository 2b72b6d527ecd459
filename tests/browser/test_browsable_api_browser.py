"""The browsable API in Chromium under the portal's Content-Security-Policy (no 'unsafe-inline'):
its pages render styled (DRF's Bootstrap theme and its own layout rules) and the console shows
no CSP violation, at 390 and 1366 px."""

import pytest

from .conftest import ARTIFACTS, LAPTOP, PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_the_browsable_api_renders_styled_without_csp_errors(
    browser_page, commerce_admin, viewport
):
    page = browser_page
    page.set_viewport_size(viewport)
    log_in(page, commerce_admin)
    for address in ["/api/v1/", "/api/v1/sites/", "/api/v1/townships/"]:
        response = page.goto(address)
        assert response.status == 200, address
        page.screenshot(
            path=ARTIFACTS / f"browsable-api{address.replace('/', '-')}{viewport['width']}.png",
            full_page=True,
        )
        # Bootstrap's theme applies: the navbar is dark.
        navbar = page.locator(".navbar").first
        assert navbar.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
        # Pygments' highlighting rules apply (its <style> carries the request's nonce).
        pre = page.locator("pre").first
        assert pre.evaluate("e => getComputedStyle(e).lineHeight") != "normal", address
    # The list's "extra actions" menu floats right (DRF writes that as a style attribute).
    extra = page.locator("#extra-actions-menu").locator("..")
    page.goto("/api/v1/sites/")
    assert extra.evaluate("e => getComputedStyle(e).cssFloat") == "right"
    assert page.errors == [], page.errors
