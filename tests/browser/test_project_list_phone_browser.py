"""The network projects at 390 px (issue #17): the list, its filters, a project and the other
network pages fit the phone's width; the table scrolls inside its own frame, the page never
sideways. Screenshots in test-artifacts/phone-projects-*.png."""

import pytest
from django.urls import reverse

from agencies.models import Township, Village
from tests.network.conftest import make_project

from .conftest import ARTIFACTS, LAPTOP, PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_project_list_fits_a_phone(browser_page, commerce_admin):
    page = browser_page
    dipu = Township.objects.get(code="330523001")
    village = Village.objects.filter(township=dipu, is_active=True).first()
    projects = [
        make_project(
            actor=commerce_admin,
            township=dipu,
            village=village,
            name="递铺街道长乐社区再生资源回收网点提升改造暨一场两用中转分拣站建设项目",
            address="递铺街道长乐社区昌硕东路与天目路交叉口西北侧再生资源回收站点",
        ),
        make_project(actor=commerce_admin, township=dipu, kind="centre", name="县级分拣中心"),
    ]
    log_in(page, commerce_admin)
    pages = {
        "list": reverse("network:project-list"),
        "filtered": reverse("network:project-list") + f"?township={dipu.pk}",
        "detail": projects[0].get_absolute_url(),
        "progress": reverse("network:progress"),
        "suggestions": reverse("network:suggestions"),
    }
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        for name, url in pages.items():
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page_width(page) <= viewport["width"], (name, page_width(page))
            frames = page.eval_on_selector_all(
                ".table-wrap", "frames => frames.map(f => f.scrollWidth - f.clientWidth)"
            )
            if name in {"list", "filtered"} and viewport == PHONE:
                # The list is cards on a phone: its frame does not scroll sideways either.
                assert frames == [0], (name, frames)
                first = page.locator("table.phone-cards tbody tr").first
                assert "递铺街道长乐社区" in first.locator("td.card-title").inner_text()
                labels = first.locator("td[data-label]").evaluate_all(
                    "cells => cells.map(c => getComputedStyle(c, '::before').content)"
                )
                assert '"阶段"' in labels and "规划" in first.inner_text()
            page.screenshot(
                path=ARTIFACTS / f"phone-projects-{name}-{viewport['width']}.png", full_page=True
            )
    assert page.errors == []
