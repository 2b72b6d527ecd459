"""Background work of the assessment: a task takes a run's id and calls the service. The run's
own task lives beside the work it runs (services.computation) and is named here too, as the
workers have always known it."""

import logging

from celery import shared_task
from django.utils import timezone

from . import services
from .services.computation import compute_period_task  # noqa: F401

logger = logging.getLogger(__name__)


@shared_task(name="assessments.requeue_waiting_runs")
def requeue_waiting_runs() -> dict:
    result = services.requeue_waiting_runs(now=timezone.now())
    logger.info("assessment runs queued again: %s", result)
    return result
