"""Printing a case, a site and a meeting page (issue #17): with print media the navigation,
the user box, the search and language forms and every button are hidden; the page's own
content (heading, tables) stays, and headings are kept with what follows them."""

import pytest
from django.urls import reverse

from agencies import meetings
from agencies.models import Meeting

from .conftest import ARTIFACTS, LAPTOP, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HIDDEN_WHEN_PRINTED = [
    ".main-nav",
    ".nav-toggle",
    ".user-box",
    ".search-box",
    ".lang-form",
    ".breadcrumbs",
    ".no-print",  # the case's 可办理事项, the site's 组织联合执法
]

# Buttons, forms and links styled as buttons (编辑, 下载, 上报…): nothing to press on paper.
ACTIONS = "main button, main form, main .actions-row, main a.button"


def shown(page, selector) -> list[str]:
    """The elements matching the selector that print media would still show."""
    return page.eval_on_selector_all(
        selector,
        """elements => elements
            .filter(element => element.getClientRects().length > 0
                && getComputedStyle(element).visibility !== 'hidden')
            .map(element => element.outerHTML.slice(0, 80))""",
    )


def test_case_site_and_meeting_pages_print_without_navigation_or_buttons(
    browser_page, reported_cases
):
    page = browser_page
    commerce, cases = reported_cases
    case = cases[0]
    meeting = meetings.plan_meeting(
        meeting=Meeting(
            title="再生资源回收联席会议",
            place="县商务局三楼会议室",
            convener="县商务局",
            starts_at=case.reported_at,
        ),
        actor=commerce,
    )
    page.set_viewport_size(LAPTOP)
    log_in(page, commerce)
    pages = {
        "case": reverse("inspections:case-detail", args=[case.pk]),
        "site": reverse("sites:site-detail", args=[case.site_id]),
        "meeting": reverse("agencies:meeting-detail", args=[meeting.pk]),
    }
    for name, url in pages.items():
        page.emulate_media(media="screen")
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert shown(page, ".main-nav"), f"{name}: the navigation is on screen"
        assert shown(page, ACTIONS), f"{name}: the page has actions on screen"

        page.emulate_media(media="print")
        for selector in HIDDEN_WHEN_PRINTED:
            assert shown(page, selector) == [], f"{name}: {selector} is printed"
        assert shown(page, ACTIONS) == [], f"{name}: its actions are printed"
        assert shown(page, "main h1"), f"{name}: the heading is not printed"
        printed = page.locator("main").inner_text()
        assert "可办理事项" not in printed and "组织联合执法" not in printed
        assert (
            page.evaluate("() => getComputedStyle(document.querySelector('main h1')).breakAfter")
            == "avoid"
        )
        page.screenshot(path=ARTIFACTS / f"print-{name}.png", full_page=True)
        page.pdf(path=ARTIFACTS / f"print-{name}.pdf", format="A4")
    assert page.errors == []
