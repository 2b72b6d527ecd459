"""The market's periodic scan: flags and settlement backlogs told to the townships."""

from celery import shared_task

from anji_recycling.anji_time import anji_today


@shared_task(name="trade.notify_market")
def notify_market() -> dict:
    from .reminders import notify_market as scan

    return scan(today=anji_today())
