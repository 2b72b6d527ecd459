"""Celery tasks of accounts. The email sweep's task lives beside the sweep it runs and queues
(notifications.py), so that module imports no tasks; it is named here too, as the workers and
the beat schedule have always known it."""

from .notifications import send_notification_emails  # noqa: F401
