"""The support, network-project and publicity pages as the bodies that use them see them, at
390 px and 1366 px: nothing wider than the window, no script errors, a screenshot of each."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from agencies.models import Township
from support.models import AssociationNotice, PublicityActivity
from support.services import publish_notice, record_publicity
from tests.factories import make_land_support, make_operator, make_site, make_subsidy, make_user
from tests.network.conftest import make_project

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _look(page, name, url):
    for size, suffix in [(PHONE, "390"), (LAPTOP, "1366")]:
        page.set_viewport_size(size)
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert_fits(page)
        page.screenshot(
            path=ARTIFACTS / f"support-{name}-{suffix}.png", full_page=True, animations="disabled"
        )
    assert page.errors == []


def test_support_network_and_publicity_pages_fit_phone_and_laptop(
    browser_page, commerce_admin, coop_staff, dipu_officer, association
):
    page = browser_page
    dipu = Township.objects.get(code="330523001")
    operator = make_operator(
        actor=commerce_admin, seed=61, name="安吉县递铺再生资源回收利用有限公司（龙头骨干企业）"
    )
    site = make_site(actor=commerce_admin, tier=2, operator=operator)
    finance = make_user(Role.AGENCY_OFFICER, agency_code="finance")
    planning = make_user(Role.AGENCY_OFFICER, agency_code="planning")
    subsidy = make_subsidy(
        actor=finance,
        operator=operator,
        amount=Decimal("1250000.00"),
        purpose="县级再生资源分拣中心智能化改造及中转站“一场两用”升级建设补助资金",
    )
    land = make_land_support(actor=planning, site=site, area=Decimal("1200.5"))
    project = make_project(actor=coop_staff, township=dipu, kind="centre")
    activity = record_publicity(
        activity=PublicityActivity(
            held_on=dt.date(2026, 3, 1),
            township=dipu,
            form="offline",
            topic="再生资源回收行业法规及垃圾分类“一场两用”政策进村入户宣传",
            audience="经营户、村民",
            audience_count=120,
        ),
        actor=dipu_officer,
    )
    notice = publish_notice(
        notice=AssociationNotice(
            kind="training",
            title="关于开展2026年度再生资源回收从业人员安全培训的通知",
            body="各会员单位：请于三月底前报名。",
            published_on=dt.date(2026, 3, 2),
        ),
        operators=[operator],
        actor=association,
    )

    log_in(page, finance)
    _look(page, "subsidies", reverse("support:subsidy-list"))
    _look(page, "subsidy", reverse("support:subsidy-detail", args=[subsidy.pk]))
    _look(page, "subsidy-new", reverse("support:subsidy-create"))
    _look(page, "summary", reverse("support:summary"))
    log_in(page, planning)
    _look(page, "land", reverse("support:land-list"))
    _look(page, "land-case", reverse("support:land-detail", args=[land.pk]))
    _look(page, "land-new", reverse("support:land-create"))
    log_in(page, coop_staff)
    _look(page, "projects", reverse("network:project-list"))
    _look(page, "project", reverse("network:project-detail", args=[project.pk]))
    _look(page, "project-edit", reverse("network:project-update", args=[project.pk]))
    _look(page, "progress", reverse("network:progress"))
    log_in(page, dipu_officer)
    _look(page, "publicity", reverse("support:publicity-list"))
    _look(page, "publicity-item", reverse("support:publicity-detail", args=[activity.pk]))
    _look(page, "publicity-new", reverse("support:publicity-create"))
    log_in(page, association)
    _look(page, "notices", reverse("support:notice-list"))
    _look(page, "notice", reverse("support:notice-detail", args=[notice.pk]))
    _look(page, "notice-new", reverse("support:notice-create"))
