"""The market's periodic scan: flags and settlement backlogs told to the townships."""

from zoneinfo import ZoneInfo

from celery import shared_task
from django.utils import timezone

ANJI = ZoneInfo("Asia/Shanghai")


@shared_task(name="trade.notify_market")
def notify_market() -> dict:
    from .reminders import notify_market as scan

    return scan(today=timezone.localdate(timezone=ANJI))
