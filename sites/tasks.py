"""Background work of the site registry: tasks take a job's id and call exports or imports."""

from celery import shared_task

from . import exports, imports


@shared_task
def export_roster(*, job_id: int) -> None:
    exports.run_export_job(job_id=job_id)


@shared_task
def apply_roster_import(*, job_id: int) -> None:
    imports.run_import_job(job_id=job_id)
