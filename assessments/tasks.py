"""Background work of the assessment: a task takes a run's id and calls the service."""

import logging

from celery import shared_task
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


@shared_task
def compute_period_task(*, run_id: int) -> None:
    services.run_computation(run_id=run_id)


@shared_task(name="assessments.requeue_waiting_runs")
def requeue_waiting_runs() -> dict:
    result = services.requeue_waiting_runs(now=timezone.now())
    logger.info("assessment runs queued again: %s", result)
    return result
