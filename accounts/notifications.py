"""Notifications: the inbox and the email that goes with each entry.

`notify` writes inbox entries once per (recipient, key) — a unique constraint, so a scan that
runs twice, or on two workers at once, notifies nobody twice. Emails are sent by a periodic
sweep (`send_pending_emails`), which also retries failures; a hint to send now is queued after
the transaction commits, and if Redis is down the sweep sends them later.
"""

import logging
from urllib.parse import urljoin

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from anji_recycling.queue import enqueue_on_commit

from .choices import EmailState
from .models import Notification
from .selectors import recipients_to_skip

logger = logging.getLogger(__name__)


def notify(*, recipients, kind: str, title: str, key: str, body: str = "", link: str = "") -> int:
    """Put a notification in each recipient's inbox unless one with this key is there or the
    recipient turned this kind off. Returns how many were new."""
    recipients = [user for user in recipients if user is not None and user.is_active]
    if not recipients:
        return 0
    # Those told already, and those who turned this kind off (no inbox entry, no email).
    skip = recipients_to_skip(user_ids=[user.pk for user in recipients], kind=kind, key=key)
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            title=title[:200],
            body=body,
            link=link[:300],
            dedupe_key=key[:200],
        )
        for user in recipients
        if user.pk not in skip
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        # A hint to send now; if Redis is down the periodic sweep sends them later.
        enqueue_on_commit(send_notification_emails)
    return len(rows)


MAX_EMAIL_ATTEMPTS = 5


def email_text(notification) -> str:
    """The message and, when it links to something, the full address of it in the portal."""
    parts = [notification.body]
    if notification.link:
        parts.append(urljoin(settings.PORTAL_URL, notification.link))
    return "\n\n".join(part for part in parts if part)


def send_pending_emails(*, limit: int = 200) -> dict:
    """Email the inbox entries not yet emailed (and retry failures a few times). Each row is
    claimed under a row lock (skip_locked), so two workers never send the same email; one that
    was sent is never sent again."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    tried = []  # a failure is retried on a later sweep, not straight away
    for _ in range(limit):
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(
                    email_state__in=[EmailState.PENDING, EmailState.FAILED],
                    email_attempts__lt=MAX_EMAIL_ATTEMPTS,
                )
                .exclude(pk__in=tried)
                .order_by("created_at", "pk")
                .first()
            )
            if row is None:
                break
            tried.append(row.pk)
            row.email_attempts += 1
            if not row.recipient.email:
                row.email_state = EmailState.SKIPPED
                counts["skipped"] += 1
            else:
                try:
                    send_mail(
                        subject=row.title,
                        message=email_text(row),
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=[row.recipient.email],
                    )
                except Exception:  # noqa: BLE001 - any transport error: retry on a later sweep
                    logger.exception("Email for notification %s failed", row.pk)
                    row.email_state = EmailState.FAILED
                    counts["failed"] += 1
                else:
                    row.email_state = EmailState.SENT
                    row.emailed_at = timezone.now()
                    counts["sent"] += 1
            row.save(update_fields=["email_state", "email_attempts", "emailed_at"])
    return counts


@shared_task(name="accounts.send_notification_emails")
def send_notification_emails(limit: int = 200) -> dict:
    """The sweep as a task: periodic (see CELERY_BEAT_SCHEDULE), and hinted by `notify`."""
    result = send_pending_emails(limit=limit)
    logger.info("notification emails: %s", result)
    return result
