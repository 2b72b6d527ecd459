"""Notifications in the browser (#17): tick several unread notifications (or every one on the page)
and mark them read at once, at a phone's and a laptop's width. A box whose value was changed to
another user's notification marks nothing of theirs. Screenshots in
test-artifacts/notifications-<width>.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import NotificationKind, Role
from accounts.models import Notification
from accounts.notifications import notify
from tests.factories import make_user

from .conftest import ARTIFACTS, LAPTOP, PHONE, assert_fits, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _notify(user, key, title):
    notify(recipients=[user], kind=NotificationKind.PATROL_TASK, title=title, key=key, link="/")
    return Notification.objects.get(recipient=user, dedupe_key=key)


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390", "1366"])
def test_ticked_notifications_are_marked_read_at_once(browser_page, live_server, size):
    page = browser_page
    page.set_viewport_size(size)
    officer = make_user(Role.TOWNSHIP_OFFICER, username="inbox-dipu", township_code="330523001")
    other = make_user(Role.TOWNSHIP_OFFICER, username="inbox-other", township_code="330523002")
    mine = [_notify(officer, f"n{i}", f"巡查任务：递铺街道回收点{i}") for i in range(3)]
    theirs = _notify(other, "theirs", "别人的通知")
    log_in(page, officer)
    page.goto(live_server.url + reverse("accounts:inbox"))
    assert_fits(page)
    ticks = page.locator("input.notification-tick")
    expect(ticks).to_have_count(3)
    page.locator(f"input.notification-tick[value='{mine[0].pk}']").check()
    page.locator(f"input.notification-tick[value='{mine[1].pk}']").check()
    # The attacker's move: a ticked box now names another user's notification.
    page.locator(f"input.notification-tick[value='{mine[1].pk}']").evaluate(
        f"box => box.value = '{theirs.pk}'"
    )
    page.screenshot(path=ARTIFACTS / f"notifications-{size['width']}.png", full_page=True)
    page.get_by_role("button", name="将勾选的通知标为已读").click()
    expect(page.locator(".messages, .message").first).to_contain_text("已将 1 条通知标为已读")
    states = {n.pk: n.read_at is not None for n in Notification.objects.all()}
    assert states == {mine[0].pk: True, mine[1].pk: False, mine[2].pk: False, theirs.pk: False}

    page.get_by_label("勾选本页全部未读通知").check()
    expect(page.locator("input.notification-tick:checked")).to_have_count(2)
    page.get_by_role("button", name="将勾选的通知标为已读").click()
    expect(page.locator("input.notification-tick")).to_have_count(0)
    assert Notification.objects.filter(recipient=officer, read_at=None).count() == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    page.screenshot(path=ARTIFACTS / f"notifications-done-{size['width']}.png", full_page=True)
    assert page.errors == []
