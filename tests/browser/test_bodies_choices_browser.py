"""In Chromium at 390 px and 1366 px: a township officer turns a kind of notification off on
通知设置 (and cannot turn off a 督办 kind); the association reads who received its notice; the
county summary reads 待定 for a land case under review; the co-op's summary holds only its
enterprises' and the network's support. And once as an attacker: 昌硕's officer asking for the
recipients of a notice, and the co-op typing a competitor's subsidy id, are refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import NotificationKind, Role
from accounts.models import NotificationSetting
from support.models import AssociationNotice
from support.services import publish_notice
from tests.conftest import CHANGSHUO
from tests.factories import make_land_support, make_operator, make_site, make_subsidy, make_user

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _shot(page, name):
    for size, suffix in [(PHONE, "390"), (LAPTOP, "1366")]:
        page.set_viewport_size(size)
        page.wait_for_load_state("networkidle")
        assert_fits(page)
        page.screenshot(path=ARTIFACTS / f"bodies-{name}-{suffix}.png", full_page=True)


def test_choices_recipients_and_pending_land_as_their_bodies_see_them(
    browser_page, commerce_admin, coop_staff, dipu_officer, association
):
    page = browser_page
    changshuo_officer = make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
    own = make_operator(actor=commerce_admin, seed=91, is_coop_enterprise=True)
    rival = make_operator(actor=commerce_admin, seed=92, township_code=CHANGSHUO)
    finance = make_user(Role.AGENCY_OFFICER, agency_code="finance")
    planning = make_user(Role.AGENCY_OFFICER, agency_code="planning")
    make_subsidy(actor=finance, operator=own, amount=Decimal("1000.00"))
    rival_grant = make_subsidy(actor=finance, operator=rival, amount=Decimal("30000.00"))
    make_land_support(
        actor=planning,
        site=make_site(actor=commerce_admin, township_code=CHANGSHUO, operator=rival),
        area=Decimal("800"),
    )
    notice = publish_notice(
        notice=AssociationNotice(
            kind="convention",
            title="安吉县再生资源回收行业自律公约（2026年修订）",
            body="各会员单位：请认真遵守。",
            published_on=dt.date(2026, 3, 2),
        ),
        operators=[own, rival],
        actor=association,
    )

    # A township officer turns licence reminders off, on a phone.
    log_in(page, dipu_officer)
    page.set_viewport_size(PHONE)
    page.goto(reverse("accounts:inbox"))
    page.get_by_role("link", name="通知设置").click()
    expect(page.locator("h1")).to_have_text("通知设置")
    licence = page.locator("tr", has_text=str(NotificationKind.LICENCE_EXPIRING.label))
    licence.get_by_role("button", name="关闭").click()
    expect(page.locator(".messages, .message, [role=status]").first).to_contain_text("已保存")
    expect(licence).to_contain_text("已关闭")
    overdue = page.locator("tr", has_text=str(NotificationKind.CASE_OVERDUE.label))
    expect(overdue.get_by_role("button")).to_have_count(0)
    assert NotificationSetting.objects.get(user=dipu_officer, muted=True).kind == "licence_expiring"
    _shot(page, "notification-settings")
    # Attacker: the officer asks for the notice's recipients.
    page.goto(f"/api/v1/association-notices/{notice.pk}/recipients/?format=json")
    assert "行业协会" in page.content()
    page.goto(reverse("support:notice-detail", args=[notice.pk]))
    expect(page.locator("body")).not_to_contain_text("谁收到了")

    # The association reads who received its notice.
    log_in(page, association)
    page.goto(reverse("support:notice-detail", args=[notice.pk]))
    section = page.locator(".notice-recipients")
    expect(section).to_contain_text(own.name)
    expect(section).to_contain_text(rival.name)
    expect(section).to_contain_text(str(changshuo_officer))
    expect(section).to_contain_text("尚未阅读")
    _shot(page, "notice-recipients")

    # The commerce bureau's summary: 昌硕's undecided land case reads 待定.
    log_in(page, commerce_admin)
    page.goto(reverse("support:summary"))
    row = page.locator("table.support-summary tbody tr", has_text="昌硕街道")
    expect(row).to_contain_text("待定")
    _shot(page, "summary-pending")

    # The co-op's summary holds its enterprise's grant, not the competitor's.
    log_in(page, coop_staff)
    page.goto(reverse("support:summary"))
    expect(page.locator("table.support-summary tbody")).not_to_contain_text("昌硕街道")
    expect(page.locator("table.support-summary tbody")).to_contain_text("递铺街道")
    _shot(page, "summary-coop")
    response = page.goto(reverse("support:subsidy-detail", args=[rival_grant.pk]))
    assert response.status == 404
    # The only errors are the two refusals the attacker steps asked for.
    assert [e.split("(Forbidden)")[0].split("(Not Found)")[0][-4:] for e in page.errors] == [
        "403 ",
        "404 ",
    ]
