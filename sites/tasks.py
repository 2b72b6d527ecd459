"""Background work of the site registry: tasks take a job's id and call exports or imports."""

import logging

from celery import shared_task
from django.utils import timezone

from anji_recycling.anji_time import anji_today

from . import exports, imports

logger = logging.getLogger(__name__)


@shared_task
def export_roster(*, job_id: int) -> None:
    exports.run_export_job(job_id=job_id)


@shared_task
def check_roster_import(*, job_id: int) -> None:
    imports.run_check_job(job_id=job_id)


@shared_task
def apply_roster_import(*, job_id: int) -> None:
    imports.run_import_job(job_id=job_id)


@shared_task(name="sites.remind_licences")
def remind_licences() -> dict:
    from .reminders import remind_licences as remind

    result = remind(today=anji_today())
    logger.info("licence reminders: %s", result)
    return result


@shared_task(name="sites.requeue_waiting_jobs")
def requeue_waiting_jobs() -> dict:
    from .jobs import requeue_waiting_jobs as requeue

    result = requeue(now=timezone.now())
    logger.info("background jobs queued again: %s", result)
    return result


@shared_task(name="sites.delete_finished_jobs")
def delete_finished_jobs() -> dict:
    from .jobs import delete_finished_jobs as delete

    result = delete(now=timezone.now())
    logger.info("finished background jobs deleted: %s", result)
    return result
