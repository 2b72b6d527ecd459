"""Joint enforcement in Chromium at 390 and 1366 px: the case page shows each agency's part and
state (lead, assisting agency, co-responsible township) to the commerce bureau, the lead's
officer, the assisting agency's officer and the township's officer, each seeing their own row
marked; the joint inspection report lists who was there; the site's joint action page offers
its buttons only to whom the policy allows. Another agency's and another township's officers
get refusals. Screenshots in test-artifacts/joint-*.png."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Agency, ProblemCategory, Village
from inspections.choices import CaseStatus
from inspections.joint import assemble_joint_action
from inspections.services import FindingInput, add_assisting_agency, file_inspection
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_site, make_user
from tests.inspections.test_case_policy import bring_to

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SITE = "长乐社区联合执法测试回收点（名字较长，检验窄屏换行）"


@pytest.fixture
def joint_world(portal_data):
    commerce = make_user(Role.COMMERCE_ADMIN, username="joint-commerce", agency_code="commerce")
    township = make_user(Role.TOWNSHIP_OFFICER, username="joint-dipu", township_code=DIPU)
    fire = make_user(Role.AGENCY_OFFICER, username="joint-fire", agency_code="fire")
    market = make_user(Role.AGENCY_OFFICER, username="joint-market", agency_code="market")
    site = make_site(actor=commerce, village=Village.objects.get(code="330523001018"), name=SITE)
    inspection = file_inspection(
        site=site,
        inspector=township,
        findings=[
            FindingInput(
                category=ProblemCategory.objects.get(code="fire_hazard"),
                description="安全出口堵塞，仓库内住人",
            )
        ],
        present=[fire, market],
    )
    case = inspection.findings.get().case
    people = {"commerce": commerce, "township": township, "lead": fire}
    case = bring_to(case, CaseStatus.HANDLING, people)
    add_assisting_agency(
        case=case, agency=Agency.objects.get(code="market"), actor=commerce, reason="疑似无照经营"
    )
    action = assemble_joint_action(
        site=site,
        agencies=[Agency.objects.get(code="fire"), Agency.objects.get(code="market")],
        reason="消防和无照问题联合整治",
        actor=township,
        joint_inspection_on=timezone.localdate() + dt.timedelta(days=2),
    )
    # The report filed while the joint action is open follows it (both pages link the other).
    followed = file_inspection(site=site, inspector=township, result="passed")
    return {
        "people": {**people, "assisting": market},
        "case": case,
        "inspection": inspection,
        "action": action,
        "followed": followed,
    }


# Whose row in the parts table is marked "you" (the lead, the assisting agency, the township).
OWN_ROW = {"commerce": None, "lead": 0, "assisting": 1, "township": 2}


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390", "1366"])
def test_each_role_sees_every_agencys_part_and_its_own_marked(browser_page, joint_world, size):
    page = browser_page
    page.set_viewport_size(size)
    case, inspection, action = joint_world["case"], joint_world["inspection"], joint_world["action"]
    for who, user in joint_world["people"].items():
        log_in(page, user)
        page.goto(case.get_absolute_url())
        rows = page.locator("table.agency-parts tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.nth(0)).to_contain_text("县消防救援大队")
        expect(rows.nth(0)).to_contain_text("处置中")
        expect(rows.nth(1)).to_contain_text("县市场监管局")
        expect(rows.nth(1)).to_contain_text("未完成")
        expect(rows.nth(2)).to_contain_text("递铺街道")
        marked = page.locator("table.agency-parts tbody tr.yours")
        if OWN_ROW[who] is None:
            expect(marked).to_have_count(0)
        else:
            expect(marked).to_have_count(1)
            expect(rows.nth(OWN_ROW[who])).to_have_class("yours")
        assert_fits(page)
        page.screenshot(path=ARTIFACTS / f"joint-case-{who}-{size['width']}.png", full_page=True)

        page.goto(inspection.get_absolute_url())
        expect(page.locator(".joint-agencies li")).to_have_count(2)
        expect(page.locator("[data-routed]")).to_contain_text("县消防救援大队")
        assert_fits(page)
        page.screenshot(path=ARTIFACTS / f"joint-report-{who}-{size['width']}.png", full_page=True)

        page.goto(action.get_absolute_url())
        close_button = page.get_by_role("button", name="结束联合执法")
        expect(close_button).to_have_count(1 if who in ("commerce", "township") else 0)
        followed = joint_world["followed"]
        expect(page.locator(".joint-reports li")).to_have_count(1)
        assert_fits(page)
        page.screenshot(path=ARTIFACTS / f"joint-action-{who}-{size['width']}.png", full_page=True)
        page.locator(f".joint-reports a[href='{followed.get_absolute_url()}']").click()
        joined = page.locator("[data-joint-action] a")
        expect(joined).to_contain_text("县消防救援大队")
        expect(joined).to_contain_text("县市场监管局")
        assert_fits(page)
        page.screenshot(
            path=ARTIFACTS / f"joint-followed-{who}-{size['width']}.png", full_page=True
        )
    assert page.errors == []


def test_the_township_assembles_on_the_site_page_and_files_a_joint_inspection(
    browser_page, joint_world
):
    page = browser_page
    page.set_viewport_size(PHONE)
    township = joint_world["people"]["township"]
    site = joint_world["action"].site
    log_in(page, township)
    page.goto(reverse("inspections:report-file", args=[site.pk]))
    page.locator(".report-joint summary").click()
    boxes = page.locator(".report-joint input[name=present_officers]")
    expect(boxes).to_have_count(2)
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "joint-report-form-390.png", full_page=True)
    page.goto(site.get_absolute_url())
    expect(page.locator("[data-joint-action]")).to_have_count(1)
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "joint-site-390.png", full_page=True)


def test_another_agency_and_another_township_get_refusals(browser_page, joint_world):
    page = browser_page
    page.set_viewport_size(PHONE)
    case, inspection, action = joint_world["case"], joint_world["inspection"], joint_world["action"]
    outsiders = {
        "ecology": make_user(Role.AGENCY_OFFICER, username="joint-ecology", agency_code="ecology"),
        "changshuo": make_user(
            Role.TOWNSHIP_OFFICER, username="joint-changshuo", township_code=CHANGSHUO
        ),
    }
    addresses = {
        "case": case.get_absolute_url(),
        "report": inspection.get_absolute_url(),
        "action": action.get_absolute_url(),
        "api-report": f"/api/v1/inspections/{inspection.pk}/?format=json",
        "api-action": f"/api/v1/joint-actions/{action.pk}/?format=json",
        "admin-action": f"/admin/inspections/jointaction/{action.pk}/change/",
        "admin-action-history": f"/admin/inspections/jointaction/{action.pk}/history/",
    }
    for who, user in outsiders.items():
        log_in(page, user)
        for address in addresses.values():
            response = page.goto(address)
            assert response.status in (302, 403, 404) or "/admin/" in page.url, (who, address)
            assert "联合执法测试回收点" not in page.content(), (who, address)
            assert "消防和无照问题联合整治" not in page.content(), (who, address)
        page.screenshot(path=ARTIFACTS / f"joint-refused-{who}-390.png", full_page=True)
