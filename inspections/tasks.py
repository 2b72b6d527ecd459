"""Celery tasks of inspections: they take ids (or nothing), call a service, and log counts."""

import logging
from zoneinfo import ZoneInfo

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)

ANJI = ZoneInfo("Asia/Shanghai")


@shared_task(name="inspections.generate_patrol_tasks")
def generate_patrol_tasks() -> dict:
    from .patrols import generate_patrol_tasks as generate

    result = generate(today=timezone.localdate(timezone=ANJI))
    logger.info("patrol tasks: %s", result)
    return result


@shared_task(name="inspections.escalate_overdue_cases")
def escalate_overdue_cases() -> dict:
    from .escalation import escalate_overdue_cases as escalate

    result = escalate(now=timezone.now())
    logger.info("case escalation: %s", result)
    return result
