"""Each user turns kinds of notification off and on for themselves (inbox and email alike),
on a page and in the API, with history; the 督办 kinds cannot be turned off; nobody changes
another user's choice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.choices import NotificationKind
from accounts.models import Notification, NotificationSetting
from accounts.notifications import notify
from accounts.services import set_notification_kind
from support.models import AssociationNotice
from support.services import publish_notice
from tests.factories import make_operator

pytestmark = pytest.mark.django_db

LICENCE = NotificationKind.LICENCE_EXPIRING


def _licence_reminder(people, key):
    return notify(recipients=people, kind=LICENCE, title="许可证即将到期", key=key)


def test_a_kind_turned_off_reaches_neither_inbox_nor_email_until_turned_on_again(
    dipu_officer, market_officer
):
    set_notification_kind(user=dipu_officer, kind=LICENCE, action="mute", actor=dipu_officer)
    assert _licence_reminder([dipu_officer, market_officer], "licence:1") == 1
    assert not Notification.objects.filter(recipient=dipu_officer).exists()
    # Other kinds still come.
    notify(recipients=[dipu_officer], kind=NotificationKind.PATROL_TASK, title="巡查", key="p:1")
    assert Notification.objects.filter(recipient=dipu_officer).count() == 1

    setting = set_notification_kind(
        user=dipu_officer, kind=LICENCE, action="unmute", actor=dipu_officer
    )
    assert _licence_reminder([dipu_officer], "licence:2") == 1
    assert [h.muted for h in setting.history.order_by("history_date")] == [True, False]
    assert {h.history_user for h in setting.history.all()} == {dipu_officer}


def test_the_association_notice_does_not_reach_an_officer_who_turned_it_off(
    commerce_admin, association, dipu_officer
):
    operator = make_operator(actor=commerce_admin, seed=81)
    set_notification_kind(
        user=dipu_officer,
        kind=NotificationKind.ASSOCIATION_NOTICE,
        action="mute",
        actor=dipu_officer,
    )
    publish_notice(
        notice=AssociationNotice(kind="training", title="分拣培训", body="时间地点"),
        operators=[operator],
        actor=association,
    )
    assert not Notification.objects.filter(recipient=dipu_officer).exists()


def test_the_followed_up_kinds_cannot_be_turned_off_and_nobody_chooses_for_another(
    dipu_officer, commerce_admin
):
    for kind in (NotificationKind.CASE_OVERDUE, NotificationKind.CASE_ESCALATED):
        with pytest.raises(ValidationError) as error:
            set_notification_kind(user=dipu_officer, kind=kind, action="mute", actor=dipu_officer)
        assert "督办" in str(error.value)
    with pytest.raises(PermissionDenied):
        set_notification_kind(user=dipu_officer, kind=LICENCE, action="mute", actor=commerce_admin)
    with pytest.raises(ValidationError):
        set_notification_kind(user=dipu_officer, kind="nonsense", action="mute", actor=dipu_officer)
    assert not NotificationSetting.objects.exists()


def test_the_settings_page_turns_a_kind_off_and_on(
    client, dipu_officer, django_assert_max_num_queries
):
    client.force_login(dipu_officer)
    url = reverse("accounts:notification-settings")
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert len(page.context["choices"]) == len(NotificationKind)
    assert "通知设置" in page.content.decode()
    response = client.post(url, {"kind": LICENCE, "action": "mute"}, follow=True)
    assert "已保存" in response.content.decode()
    choices = dict((c.kind, (c.muted, a)) for c, a in response.context["choices"])
    assert choices[LICENCE] == (True, ["unmute"])
    assert choices[NotificationKind.CASE_OVERDUE] == (False, [])
    response = client.post(
        url, {"kind": NotificationKind.CASE_OVERDUE, "action": "mute"}, follow=True
    )
    assert "督办" in response.content.decode()
    assert (
        reverse("accounts:notification-settings")
        in client.get(reverse("accounts:inbox")).content.decode()
    )


def test_the_api_lists_and_changes_the_users_own_choices(api_client, dipu_officer, market_officer):
    url = "/api/v1/notifications/settings/"
    api_client.force_authenticate(dipu_officer)
    rows = {row["kind"]: row for row in api_client.get(url).json()}
    assert rows[LICENCE]["allowed_actions"] == ["mute"]
    assert rows[NotificationKind.ACTION_ITEM]["supervised"] is True
    response = api_client.post(url, {"kind": LICENCE, "action": "mute"}, format="json")
    assert response.status_code == 200, response.content
    assert {row["kind"]: row for row in response.json()}[LICENCE]["muted"] is True
    response = api_client.post(url, {"kind": "case_overdue", "action": "mute"}, format="json")
    assert response.status_code == 400
    assert "督办" in str(response.json())
    for bad in ({"kind": "bogus", "action": "mute"}, {"kind": LICENCE, "action": "delete"}, {}):
        assert api_client.post(url, bad, format="json").status_code == 400
    # The choice was the officer's own: the market officer's stays on.
    api_client.force_authenticate(market_officer)
    rows = {row["kind"]: row for row in api_client.get(url).json()}
    assert rows[LICENCE]["muted"] is False
    assert NotificationSetting.objects.get().user == dipu_officer
