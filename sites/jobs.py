"""Background jobs (large exports, imports): claiming one to run, and queueing again those
whose message never reached a worker (Redis was down when they were started)."""

import datetime as dt

from anji_recycling.queue import WAITING_TOO_LONG

from .models import BackgroundJob


def claim_job(*, job_id: int) -> BackgroundJob | None:
    """Mark a waiting job running and return it; None when another worker has it or it is
    finished (a task delivered twice runs the job once)."""
    claimed = BackgroundJob.objects.filter(pk=job_id, state=BackgroundJob.State.PENDING).update(
        state=BackgroundJob.State.RUNNING
    )
    if not claimed:
        return None
    return BackgroundJob.objects.select_related("owner").get(pk=job_id)


def waiting_jobs(*, now: dt.datetime):
    """Jobs queued for a worker long ago that no worker has started. An import waits for its
    owner's confirmation first (stage "checked"): that is not waiting for a worker."""
    return (
        BackgroundJob.objects.filter(
            state=BackgroundJob.State.PENDING, created_at__lt=now - WAITING_TOO_LONG
        )
        .exclude(kind=BackgroundJob.Kind.ROSTER_IMPORT, result__stage="checked")
        .order_by("pk")
    )


def requeue_waiting_jobs(*, now: dt.datetime) -> dict:
    from .tasks import apply_roster_import, export_roster

    queued = 0
    for job in waiting_jobs(now=now).only("pk", "kind"):
        is_import = job.kind == BackgroundJob.Kind.ROSTER_IMPORT
        task = apply_roster_import if is_import else export_roster
        task.delay(job_id=job.pk)
        queued += 1
    return {"queued": queued}


# Finished jobs' files (rosters, uploaded workbooks) are kept this long for download.
KEEP_FINISHED = dt.timedelta(days=7)


def delete_finished_jobs(*, now: dt.datetime) -> dict:
    """Delete jobs finished (done or failed) more than a week ago, with their files; a roster
    holds personal data and should not pile up in the media directory."""
    deleted = files = 0
    old = BackgroundJob.objects.filter(
        state__in=[BackgroundJob.State.DONE, BackgroundJob.State.FAILED],
        finished_at__lt=now - KEEP_FINISHED,
    ).order_by("pk")
    for job in old:
        for stored in (job.input_file, job.result_file):
            if stored:
                stored.delete(save=False)
                files += 1
        job.delete()
        deleted += 1
    return {"deleted": deleted, "files": files}
