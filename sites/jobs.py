"""Background jobs (large exports, imports): claiming one to run under a lease, and queueing
again those whose message never reached a worker (Redis was down when they were started) or
whose worker died while running them (see anji_recycling/leases.py)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from anji_recycling import leases
from anji_recycling.queue import WAITING_TOO_LONG

from .models import BackgroundJob

# An import's stages: uploaded (waiting for its check), checked (waiting for its owner's
# confirmation, or failed with problems on rows), refused (a file that could not be checked at
# all), queued (confirmed, waiting for its writing), applied.
UPLOADED, CHECKED, REFUSED = "uploaded", "checked", "refused"
QUEUED, APPLIED = "queued", "applied"


# What other apps plug into the same jobs: an Excel import checked, confirmed and written in the
# background (the site roster's, the market's weighbridge records), and a large .xlsx written by
# a worker (the rosters, the transfer ledger). Each registers itself when its module is imported
# (its AppConfig.ready), so that a worker that only knows a job's kind runs it.


@dataclass(frozen=True)
class Importer:
    """One kind of Excel import run by sites.imports' jobs and pages.

    check(file, *, user, progress=None, filename=None) reads and checks every row writing
    nothing, returning a result with `ok`, `problems` (imports.Problem), `rows` and
    `as_job_result()`; apply(result, *, actor, progress=None) writes it in one transaction and
    returns the counts per sheet; find_sheets(workbook) the sheets the marked workbook marks."""

    kind: str
    check: Callable
    apply: Callable
    find_sheets: Callable
    may_import: Callable  # user -> bool
    refusal: object  # the message for a user who may not import
    upload_url: str  # URL names: the upload page, and where to go once written
    counts: tuple  # (sheet key, label) for the table of rows created/updated/unchanged
    links: tuple = ()  # (URL name, label) after the import


@dataclass(frozen=True)
class Exporter:
    """One kind of large .xlsx written by a worker: rows(user=, params=) the queryset with the
    owner's scope and the saved filters, write(workbook, queryset=, progress=, user=) the sheet
    (`user`: the job's owner, for a title row naming their scope)."""

    kind: str
    rows: Callable
    write: Callable


IMPORTERS: dict[str, Importer] = {}
EXPORTERS: dict[str, Exporter] = {}


def register_importer(importer: Importer) -> Importer:
    IMPORTERS[importer.kind] = importer
    return importer


def register_exporter(exporter: Exporter) -> Exporter:
    EXPORTERS[exporter.kind] = exporter
    return exporter


def importer_for(kind: str) -> Importer:
    return IMPORTERS[kind]


def exporter_for(kind: str) -> Exporter:
    return EXPORTERS[kind]


def claim_job(*, job_id: int, stage: str | None = None) -> BackgroundJob | None:
    """Take the lease of a waiting job (or of a running one whose worker died) and return it;
    None when a live worker has it or it is finished (a task delivered twice runs the job
    once). An import is claimed only at the stage the task is for."""
    jobs = BackgroundJob.objects.all()
    if stage is not None:
        jobs = jobs.filter(result__stage=stage)
    token = leases.claim(jobs, pk=job_id)
    if token is None:
        return None
    return BackgroundJob.objects.select_related("owner").get(pk=job_id)


def finish_job(job: BackgroundJob, **values) -> bool:
    """Write a job's outcome if its worker still holds the lease (see leases.finish)."""
    return leases.finish(BackgroundJob.objects.all(), pk=job.pk, token=job.lease_token, **values)


def heartbeat(job: BackgroundJob) -> leases.Heartbeat:
    return leases.Heartbeat(BackgroundJob.objects.all(), pk=job.pk, token=job.lease_token)


def waiting_jobs(*, now: dt.datetime):
    """Jobs queued for a worker long ago that no worker has started, and running jobs whose
    worker stopped renewing the lease. An import waits for its owner's confirmation first
    (stage "checked"): that is not waiting for a worker."""
    waiting = Q(state=BackgroundJob.State.PENDING, created_at__lt=now - WAITING_TOO_LONG)
    return (
        BackgroundJob.objects.filter(waiting | leases.stale(now=now))
        .exclude(kind__in=list(IMPORTERS), result__stage=CHECKED)
        .order_by("pk")
    )


def task_for(job: BackgroundJob):
    from .tasks import apply_roster_import, check_roster_import, export_roster

    if job.kind not in IMPORTERS:
        return export_roster
    return check_roster_import if job.result.get("stage") == UPLOADED else apply_roster_import


def requeue_waiting_jobs(*, now: dt.datetime) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "The job stopped %(count)s times while it ran (the worker was ended): it is not "
            "started again. Try a smaller file or filter, or ask the administrator."
        ) % {"count": leases.max_attempts()}
    failed = leases.give_up_exhausted(BackgroundJob.objects.all(), now=now, message=message)
    queued = 0
    for job in waiting_jobs(now=now).filter(attempts__lt=leases.max_attempts()):
        task_for(job).delay(job_id=job.pk)
        queued += 1
    return {"queued": queued, "failed": failed}


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
