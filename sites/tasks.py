"""Background work of the site registry. The jobs' own tasks (exports, imports) live beside the
jobs they run (jobs.py) and are named here too, as the workers have always known them."""

import logging

from celery import shared_task
from django.utils import timezone

from anji_recycling.anji_time import anji_today

from .jobs import apply_roster_import, check_roster_import, export_roster  # noqa: F401

logger = logging.getLogger(__name__)


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
