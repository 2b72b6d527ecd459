"""Celery tasks of accounts: they take ids (or nothing), call a service, and log counts."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="accounts.send_notification_emails")
def send_notification_emails(limit: int = 200) -> dict:
    from .notifications import send_pending_emails

    result = send_pending_emails(limit=limit)
    logger.info("notification emails: %s", result)
    return result
