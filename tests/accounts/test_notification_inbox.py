"""The notification inbox: each user reads only their own notifications, in the portal and the
API; the header counts the unread ones; opening one marks it read and follows its link."""

import pytest
from django.urls import reverse

from accounts.choices import NotificationKind
from accounts.models import Notification
from accounts.notifications import notify


def _notify(user, key, *, title="巡查任务：递铺街道某回收点", link="/inspections/patrols/mine/"):
    notify(recipients=[user], kind=NotificationKind.PATROL_TASK, title=title, key=key, link=link)
    return Notification.objects.get(recipient=user, dedupe_key=key)


@pytest.mark.django_db
def test_inbox_lists_only_the_users_own_notifications(client, dipu_officer, market_officer):
    _notify(dipu_officer, "mine", title="递铺街道的通知")
    _notify(market_officer, "theirs", title="市场监管局的通知")
    client.force_login(dipu_officer)
    response = client.get(reverse("accounts:inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "递铺街道的通知" in page
    assert "市场监管局的通知" not in page


@pytest.mark.django_db
def test_header_shows_the_unread_count_on_every_page(client, dipu_officer):
    _notify(dipu_officer, "a")
    _notify(dipu_officer, "b")
    _notify(dipu_officer, "c")
    Notification.objects.filter(dedupe_key="c").update(read_at="2026-11-01T08:00+08:00")
    client.force_login(dipu_officer)
    response = client.get(reverse("sites:site-list"))
    assert response.context["unread_notifications"] == 2
    assert '<span class="badge"' in response.content.decode()


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client, dipu_officer):
    notification = _notify(dipu_officer, "open-me", link="/inspections/cases/")
    client.force_login(dipu_officer)
    response = client.get(reverse("accounts:notification-open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/inspections/cases/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_a_link_to_another_site_is_not_followed(client, dipu_officer):
    notification = _notify(dipu_officer, "evil", link="https://evil.example.com/")
    client.force_login(dipu_officer)
    response = client.get(reverse("accounts:notification-open", args=[notification.pk]))
    assert response["Location"] == reverse("accounts:inbox")


@pytest.mark.django_db
def test_another_users_notification_cannot_be_opened(client, dipu_officer, market_officer):
    theirs = _notify(market_officer, "theirs")
    client.force_login(dipu_officer)
    response = client.get(reverse("accounts:notification-open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_one_and_mark_all_read_touch_only_the_users_own(client, dipu_officer, market_officer):
    first = _notify(dipu_officer, "first")
    second = _notify(dipu_officer, "second")
    theirs = _notify(market_officer, "theirs")
    client.force_login(dipu_officer)
    response = client.post(
        reverse("accounts:notifications-read"), {"notification": [first.pk, theirs.pk]}
    )
    assert response.status_code == 302
    for notification in (first, second, theirs):
        notification.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert theirs.read_at is None

    client.post(reverse("accounts:notifications-read"), {"all": "1"})
    for notification in (second, theirs):
        notification.refresh_from_db()
    assert second.read_at is not None
    assert theirs.read_at is None


@pytest.mark.django_db
def test_marking_the_ticked_with_none_ticked_says_so_and_changes_nothing(client, dipu_officer):
    mine = _notify(dipu_officer, "mine")
    client.force_login(dipu_officer)
    response = client.post(
        reverse("accounts:notifications-read"), {"next": "https://evil.example/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:inbox")
    assert "请先勾选要标为已读的通知。" in response.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is None


@pytest.mark.django_db
def test_unread_filter_and_empty_state_in_chinese(client, dipu_officer):
    client.force_login(dipu_officer)
    response = client.get(reverse("accounts:inbox"), {"show": "unread"})
    assert "没有未读通知" in response.content.decode()


@pytest.mark.django_db
def test_inbox_runs_a_fixed_number_of_queries(client, dipu_officer, django_assert_max_num_queries):
    for index in range(40):
        _notify(dipu_officer, f"many-{index}")
    client.force_login(dipu_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:inbox"))
    assert len(response.context["notifications"]) == 30


@pytest.mark.django_db
def test_api_lists_and_marks_only_the_users_own(api_client, dipu_officer, market_officer):
    mine = _notify(dipu_officer, "mine")
    other_mine = _notify(dipu_officer, "other-mine")
    theirs = _notify(market_officer, "theirs")
    api_client.force_authenticate(dipu_officer)

    listed = api_client.get("/api/v1/notifications/").json()
    assert {row["id"] for row in listed["results"]} == {mine.pk, other_mine.pk}
    assert api_client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404

    result = api_client.post(f"/api/v1/notifications/{mine.pk}/read/").json()
    assert result == {"marked": 1, "unread": 1}
    unread = api_client.get("/api/v1/notifications/", {"unread": "true"}).json()
    assert [row["id"] for row in unread["results"]] == [other_mine.pk]

    result = api_client.post("/api/v1/notifications/read-all/", {}, format="json").json()
    assert result == {"marked": 1, "unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_api_needs_a_login(api_client):
    assert api_client.get("/api/v1/notifications/").status_code in (401, 403)


@pytest.mark.django_db
def test_the_inbox_and_the_api_filter_by_kind_the_markets_included(
    client, api_client, dipu_officer
):
    patrol = _notify(dipu_officer, "patrol", title="巡查任务通知")
    for kind, key, title in [
        (NotificationKind.BALANCE_FLAG, "balance-flag:1:2026-02:x:-", "进出平衡异常通知"),
        (NotificationKind.SETTLEMENT_DUE, "unsettled:1:2026-W12", "结算提醒通知"),
    ]:
        notify(recipients=[dipu_officer], kind=kind, title=title, key=key)
    flag = Notification.objects.get(kind=NotificationKind.BALANCE_FLAG)
    client.force_login(dipu_officer)

    page = client.get(reverse("accounts:inbox"), {"kind": "balance_flag"}).content.decode()
    assert "进出平衡异常通知" in page
    assert "结算提醒通知" not in page and "巡查任务通知" not in page
    assert '<option value="settlement_due">结算提醒</option>' in page
    # An unknown kind shows everything rather than failing.
    assert "巡查任务通知" in client.get(reverse("accounts:inbox"), {"kind": "x"}).content.decode()

    api_client.force_authenticate(dipu_officer)
    listed = api_client.get("/api/v1/notifications/", {"kind": "balance_flag"}).json()
    assert [row["id"] for row in listed["results"]] == [flag.pk]
    assert [
        row["id"]
        for row in api_client.get("/api/v1/notifications/", {"kind": "patrol_task"}).json()[
            "results"
        ]
    ] == [patrol.pk]
    bad = api_client.get(
        "/api/v1/notifications/", {"kind": "nonsense"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert bad.status_code == 400
    assert bad.json()["kind"] == ["请选择一种通知类型。"]
