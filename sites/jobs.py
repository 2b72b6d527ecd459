"""Background jobs (large exports, imports): starting one, running it under a lease with its
progress, the workers' tasks, and queueing again those whose message never reached a worker
(Redis was down when they were started) or whose worker died while running them (see
anji_recycling/leases.py). What each kind of job does is registered here by the module that
knows it (an Importer, an Exporter), so this module imports none of them."""

import datetime as dt
import logging
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anji_recycling import leases
from anji_recycling.leases import LeaseLost
from anji_recycling.queue import WAITING_TOO_LONG, enqueue_on_commit
from anji_recycling.xlsx import new_workbook, save_workbook

from .models import BackgroundJob
from .uploads import refuse_upload_at_once, upload_filename

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1000  # a background job writes its progress every so many rows

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


def as_querydict(params) -> QueryDict:
    """Saved filters (a dict of lists, as stored on the job) as the QueryDict a filterset reads."""
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, values in (params or {}).items():
        query.setlist(key, list(values))
    return query


# Running a job: its progress; exports in the background -----------------------------------------


class JobProgress:
    """Writes how many rows of a background job are done, every `every` rows.

    An import writes everything in one transaction; the count then goes through a connection
    of its own so that the status page sees it before that transaction commits. (SQLite allows
    one writer at a time: there the count waits for the end.)
    """

    def __init__(self, job_id: int, *, total: int, every: int = PROGRESS_EVERY):
        self.job_id = job_id
        self.total = total
        self.every = every
        self.written = 0
        self._side = None

    def __enter__(self):
        self._write(done=0, total=self.total)
        return self

    def __exit__(self, *exc):
        if self._side is not None:
            self._side.close()
            self._side = None

    def __call__(self, done: int, total: int | None = None):
        if total is not None and total != self.total:  # the total is known only now
            self.total = total
            self._write(done=done, total=total)
        elif done - self.written >= self.every:
            self._write(done=done)

    def _write(self, **values):
        self.written = values["done"]
        if not connection.in_atomic_block:
            BackgroundJob.objects.filter(pk=self.job_id).update(**values)
            return
        if connection.vendor == "sqlite":
            return
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        quote = self._side.ops.quote_name
        assignments = ", ".join(f"{quote(name)} = %s" for name in values)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(BackgroundJob._meta.db_table)} SET {assignments} "
                f"WHERE {quote('id')} = %s",
                [*values.values(), self.job_id],
            )


@transaction.atomic
def start_export_job(*, kind: str, owner, params, filename: str) -> BackgroundJob:
    """Queue a large export (a roster, or another app's registered Exporter): the worker
    writes it with the owner's scope and these filters."""
    job = BackgroundJob.objects.create(
        kind=kind,
        owner=owner,
        params=dict(as_querydict(params).lists()),
        result={"filename": filename, "language": translation.get_language()},
    )
    enqueue_on_commit(export_roster, job_id=job.pk)
    return job


def run_export_job(*, job_id: int) -> None:
    """Write a queued roster to the job's result file, counting rows as they are written. A
    job whose worker died is written again from the start by the next claim; the file is only
    attached by the worker that still holds the lease."""
    job = claim_job(job_id=job_id)
    if job is None:
        return  # delivered twice: another run has it or finished it
    try:
        with heartbeat(job), translation.override(job.result.get("language")):
            exporter = exporter_for(job.kind)
            queryset = exporter.rows(user=job.owner, params=as_querydict(job.params))
            total = queryset.count()
            workbook = new_workbook()
            with JobProgress(job.pk, total=total) as progress:
                done = exporter.write(
                    workbook, queryset=queryset, progress=progress, user=job.owner
                )
            with tempfile.TemporaryFile() as handle:
                save_workbook(workbook, handle)
                handle.seek(0)
                # A random stored name: the download gives the roster's own (result["filename"]).
                job.result_file.save(f"{uuid.uuid4().hex}.xlsx", File(handle), save=False)
    except Exception as error:
        logger.exception("export job %s failed", job.pk)
        _finish_export(job, state=BackgroundJob.State.FAILED, message=str(error))
        return
    job.total = total
    job.done = done
    if not _finish_export(job, state=BackgroundJob.State.DONE):
        job.result_file.delete(save=False)  # another worker took the job over: its file counts


def _finish_export(job, *, state, message="") -> bool:
    finished = finish_job(
        job,
        state=state,
        message=message[:500],
        finished_at=timezone.now(),
        total=job.total,
        done=job.done,
        result=job.result,
        result_file=job.result_file.name or "",
    )
    if not finished:
        logger.warning("roster export job %s was taken over by another worker", job.pk)
    return finished


# Imports in the background: check, confirm, write ----------------------------------------------

IMPORT_PROGRESS_EVERY = 100  # rows; writing runs at some 70 rows a second


def recent_imports(*, user, kind=BackgroundJob.Kind.ROSTER_IMPORT, limit: int = 5):
    """The user's latest imports of a kind, to go back to one."""
    return BackgroundJob.objects.filter(owner=user, kind=kind)[:limit]


@transaction.atomic
def start_import(*, upload, user, kind=BackgroundJob.Kind.ROSTER_IMPORT) -> BackgroundJob:
    """Keep an uploaded workbook and queue its check (the dry run) in the background; the
    request reads no row of it. A file over the size limit is refused at once. `kind`: a
    registered Importer's (the roster's, or another app's)."""
    refuse_upload_at_once(upload)
    importer_for(kind)  # a kind nobody registered fails here, not in the worker
    job = BackgroundJob(
        kind=kind,
        owner=user,
        result={
            "filename": upload_filename(upload),
            "language": translation.get_language(),
            "stage": UPLOADED,
        },
    )
    # Stored under a random name: the user's file name (kept in result) may be guessed.
    job.input_file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    job.save()
    enqueue_on_commit(check_roster_import, job_id=job.pk)
    return job


def run_check_job(*, job_id: int) -> None:
    """Check an uploaded workbook row by row, writing nothing but the findings and the
    progress; it then waits for its owner's confirmation, or has failed."""
    job = claim_job(job_id=job_id, stage=UPLOADED)
    if job is None:
        return  # delivered twice: another run has it or finished it
    language = job.result.get("language")
    importer = importer_for(job.kind)
    with heartbeat(job), translation.override(language):
        try:
            with (
                job.input_file.open("rb") as handle,
                JobProgress(job.pk, total=0, every=IMPORT_PROGRESS_EVERY) as progress,
            ):
                result = importer.check(
                    handle, user=job.owner, progress=progress, filename=job.result["filename"]
                )
        except ValidationError as error:
            job.result = {**job.result, "stage": REFUSED, "refusal": error.messages}
            _finish_import(job, BackgroundJob.State.FAILED, " ".join(error.messages))
            return
        except Exception:
            logger.exception("import job %s: the check failed", job.pk)
            job.result = {**job.result, "stage": REFUSED}
            _finish_import(job, BackgroundJob.State.FAILED, _("The file could not be checked."))
            return
        job.result = {**result.as_job_result(), "stage": CHECKED}
        job.total = job.done = result.rows
        if result.ok:
            _finish_import(job, BackgroundJob.State.PENDING)  # the owner confirms it, or not
            return
        _finish_import(
            job,
            BackgroundJob.State.FAILED,
            _("%(count)s problems found: nothing was imported.") % {"count": len(result.problems)},
        )


@transaction.atomic
def confirm_import(*, job: BackgroundJob, actor) -> BackgroundJob:
    """Queue the writing of a checked workbook that had no problems."""
    job = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if job.owner_id != actor.pk:
        raise ValidationError(_("Only the person who uploaded the file may import it."))
    checked = job.result.get("stage") == CHECKED and job.state == BackgroundJob.State.PENDING
    if not checked or job.result.get("problems"):
        raise ValidationError(_("This file cannot be imported (again)."), code="not_ready")
    job.result = {**job.result, "stage": QUEUED}
    job.state = BackgroundJob.State.PENDING
    job.save(update_fields=["result", "state"])
    enqueue_on_commit(apply_roster_import, job_id=job.pk)
    return job


def run_import_job(*, job_id: int) -> None:
    """Check the stored workbook again against today's registry, then write it: all rows and
    the job's outcome in one transaction, so that a worker that dies while writing leaves
    nothing, and the next claim writes the file once."""
    job = claim_job(job_id=job_id, stage=QUEUED)
    if job is None:
        return  # delivered twice: another run has it or finished it
    language = job.result.get("language")
    importer = importer_for(job.kind)
    try:
        with heartbeat(job), translation.override(language):
            with job.input_file.open("rb") as handle:
                result = importer.check(handle, user=job.owner, filename=job.result.get("filename"))
            if not result.ok:
                job.result = {**result.as_job_result(), "stage": CHECKED}
                _finish_import(
                    job,
                    BackgroundJob.State.FAILED,
                    _("The registry changed since the check: %(count)s problems.")
                    % {"count": len(result.problems)},
                )
                return
            with (
                JobProgress(job.pk, total=result.rows, every=IMPORT_PROGRESS_EVERY) as progress,
                transaction.atomic(),
            ):
                counts = importer.apply(result, actor=job.owner, progress=progress)
                job.result = {**job.result, "stage": APPLIED, "applied": counts}
                job.total = job.done = result.rows
                _finish_import(job, BackgroundJob.State.DONE, in_transaction=True)
    except LeaseLost:
        logger.warning("import job %s was taken over by another worker", job.pk)
    except Exception as error:
        logger.exception("import job %s failed", job.pk)
        with translation.override(language):
            message = " ".join(getattr(error, "messages", [str(error)]))
            _finish_import(
                job,
                BackgroundJob.State.FAILED,
                _("The import failed: %(error)s") % {"error": message},
            )


def _finish_import(job, state, message="", *, in_transaction=False):
    """The job's outcome, if its worker still holds the lease. In the writing's transaction
    a lost lease raises LeaseLost, which rolls the writing back."""
    values = {
        "state": state,
        "message": message[:500],
        "finished_at": None if state == BackgroundJob.State.PENDING else timezone.now(),
        # Back to waiting (for the owner): the next stage has its own attempts.
        **({"attempts": 0} if state == BackgroundJob.State.PENDING else {}),
        "result": job.result,
        "total": job.total,
        "done": job.done,
    }
    if in_transaction:
        leases.finish_or_discard(
            BackgroundJob.objects.all(), pk=job.pk, token=job.lease_token, **values
        )
    elif not finish_job(job, **values):
        logger.warning("roster import job %s was taken over by another worker", job.pk)


# The workers' tasks (named as when they lived in tasks.py: messages already queued still run).


@shared_task(name="sites.tasks.export_roster")
def export_roster(*, job_id: int) -> None:
    run_export_job(job_id=job_id)


@shared_task(name="sites.tasks.check_roster_import")
def check_roster_import(*, job_id: int) -> None:
    run_check_job(job_id=job_id)


@shared_task(name="sites.tasks.apply_roster_import")
def apply_roster_import(*, job_id: int) -> None:
    run_import_job(job_id=job_id)
