"""Notification emails: sent once by the periodic sweep, retried after a failure, given up after
a few tries, skipped for users without an address, with the full link to the object."""

import pytest
from django.core import mail

from accounts import notifications
from accounts.choices import EmailState, NotificationKind
from accounts.models import Notification
from accounts.notifications import MAX_EMAIL_ATTEMPTS, notify, send_pending_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(dipu_officer):
    dipu_officer.email = "dipu@example.com"
    dipu_officer.save()
    return dipu_officer


def remind(user, key="meeting-1"):
    notify(
        recipients=[user],
        kind=NotificationKind.MEETING_REMINDER,
        title="联席会议提醒：明天上午九点",
        body="地点：县商务局三楼会议室",
        key=key,
        link="/org/meetings/1/",
    )
    return Notification.objects.get(recipient=user, dedupe_key=key)


def test_sent_once_with_the_full_link_and_never_again(officer, settings):
    settings.PORTAL_URL = "https://recycling.anji.gov.cn"
    notification = remind(officer)

    assert send_pending_emails() == {"sent": 1, "failed": 0, "skipped": 0}
    assert send_pending_emails() == {"sent": 0, "failed": 0, "skipped": 0}

    (message,) = mail.outbox
    assert message.to == ["dipu@example.com"]
    assert message.subject == "联席会议提醒：明天上午九点"
    assert "https://recycling.anji.gov.cn/org/meetings/1/" in message.body
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT
    assert notification.emailed_at is not None


def test_the_same_key_is_never_notified_twice(officer):
    remind(officer)
    remind(officer)
    assert Notification.objects.filter(recipient=officer).count() == 1


def test_a_failed_email_is_retried_on_the_next_sweep(officer, monkeypatch):
    notification = remind(officer)
    real_send_mail = notifications.send_mail

    def refuse(**kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    assert send_pending_emails() == {"sent": 0, "failed": 1, "skipped": 0}
    notification.refresh_from_db()
    assert notification.email_state == EmailState.FAILED

    monkeypatch.setattr(notifications, "send_mail", real_send_mail)
    assert send_pending_emails() == {"sent": 1, "failed": 0, "skipped": 0}
    notification.refresh_from_db()
    assert (notification.email_state, notification.email_attempts) == (EmailState.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_failure_is_tried_once_per_sweep_and_given_up_after_a_few(officer, monkeypatch):
    notification = remind(officer)

    def refuse(**kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    for _ in range(MAX_EMAIL_ATTEMPTS):
        assert send_pending_emails()["failed"] == 1
    assert send_pending_emails() == {"sent": 0, "failed": 0, "skipped": 0}
    notification.refresh_from_db()
    assert notification.email_attempts == MAX_EMAIL_ATTEMPTS
    # The inbox still has it: only the email was given up.
    assert notification.read_at is None


def test_a_user_without_an_address_is_skipped_not_retried(dipu_officer):
    dipu_officer.email = ""
    dipu_officer.save()
    notification = remind(dipu_officer)
    assert send_pending_emails() == {"sent": 0, "failed": 0, "skipped": 1}
    assert send_pending_emails() == {"sent": 0, "failed": 0, "skipped": 0}
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SKIPPED
