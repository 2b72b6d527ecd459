"""Background work of the assessment: a task takes a run's id and calls the service."""

from celery import shared_task

from . import services


@shared_task
def compute_period_task(*, run_id: int) -> None:
    services.run_computation(run_id=run_id)
