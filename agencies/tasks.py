"""Celery tasks of agencies: periodic sweeps (see CELERY_BEAT_SCHEDULE) that call a service with
the current time and log what they did. Each sweep is idempotent."""

import logging

from celery import shared_task
from django.utils import timezone

from anji_recycling.anji_time import anji_today

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


@shared_task(name="agencies.recompute_deadlines")
def recompute_deadlines(*, first_day: str, last_day: str, reason: str, actor_id=None) -> dict:
    """After the working-day calendar changed between these days (ISO dates)."""
    import datetime as dt

    from accounts.models import User

    from .services import recompute_dependent_deadlines

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    result = recompute_dependent_deadlines(
        first_day=dt.date.fromisoformat(first_day),
        last_day=dt.date.fromisoformat(last_day),
        reason=reason,
        actor=actor,
    )
    logger.info("deadlines recomputed for %s to %s: %s", first_day, last_day, result)
    return result
