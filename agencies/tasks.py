"""Celery tasks of agencies: periodic sweeps (see CELERY_BEAT_SCHEDULE) that call a service with
the current time and log what they did. Each sweep is idempotent. The deadline recomputation
that the calendar's services queue lives beside them (services.py) and is named here too."""

import logging

from celery import shared_task
from django.utils import timezone

from anji_recycling.anji_time import anji_today

from .services import recompute_deadlines  # noqa: F401

logger = logging.getLogger(__name__)


@shared_task(name="agencies.send_meeting_reminders")
def send_meeting_reminders() -> dict:
    from .meetings import send_meeting_reminders as send

    result = send(now=timezone.now())
    logger.info("meeting reminders: %s", result)
    return result


@shared_task(name="agencies.remind_overdue_action_items")
def remind_overdue_action_items() -> dict:
    from .meetings import remind_overdue_action_items as remind

    result = remind(today=anji_today())
    logger.info("overdue action item reminders: %s", result)
    return result


@shared_task(name="agencies.draft_recurring_meetings")
def draft_recurring_meetings() -> dict:
    from .meetings import draft_recurring_meetings as draft

    result = draft(now=timezone.now())
    logger.info("recurring meetings drafted: %s", result)
    return result


@shared_task(name="agencies.record_library_years")
def record_library_years() -> list[int]:
    """Periodic: notice a chinese-calendar upgrade that brought a new year."""
    from .services import record_library_years as record

    years = record(now=timezone.now())
    logger.info("chinese-calendar years newly seen: %s", years or "none")
    return years
