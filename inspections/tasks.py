"""Celery tasks of inspections: they take ids (or nothing), call a service, and log counts."""

import logging

from celery import shared_task
from django.utils import timezone

from anji_recycling.anji_time import anji_today

logger = logging.getLogger(__name__)


@shared_task(name="inspections.generate_patrol_tasks")
def generate_patrol_tasks() -> dict:
    from .patrols import generate_patrol_tasks as generate

    result = generate(today=anji_today())
    logger.info("patrol tasks: %s", result)
    return result


@shared_task(name="inspections.escalate_overdue_cases")
def escalate_overdue_cases() -> dict:
    from .escalation import escalate_overdue_cases as escalate

    result = escalate(now=timezone.now())
    logger.info("case escalation: %s", result)
    return result
