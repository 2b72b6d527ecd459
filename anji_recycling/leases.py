"""Leases on background work (export and import jobs, assessment runs): work a worker started
and never finished, because the worker died (SIGKILL, out of memory, the host rebooted), is
picked up again, and finishes exactly once.

A worker claims a row by taking its lease: one UPDATE that moves a waiting row, or a running
row whose lease ran out, to running with a new token, the time and one more attempt. While it
works a thread renews the lease (`heartbeat_at`) every fifth of the lease; a dead worker's
heartbeat stops, so after `BACKGROUND_LEASE_SECONDS` its row is claimable again, by the periodic
sweep's message or by the broker's redelivery of the original one. Finishing is an UPDATE
guarded by the token: a worker that lost its lease (it stalled, another took over) cannot
finish the row, and where the work writes in a transaction the guarded finish is inside it,
so its writes go with it. A row that has used `BACKGROUND_MAX_ATTEMPTS` leases is failed by the
sweep instead of killing worker after worker.
"""

import datetime as dt
import logging
import threading
import uuid

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PENDING, RUNNING, FAILED = "pending", "running", "failed"


class LeaseLost(Exception):
    """Another worker holds the row's lease now: this one's work is discarded."""


class LeasedWork(models.Model):
    """Background work a worker holds under a lease (see the module)."""

    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_token = models.UUIDField(_("lease"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def lease_duration() -> dt.timedelta:
    return dt.timedelta(seconds=settings.BACKGROUND_LEASE_SECONDS)


def max_attempts() -> int:
    return settings.BACKGROUND_MAX_ATTEMPTS


def stale(*, now: dt.datetime) -> Q:
    """Running rows whose worker stopped renewing the lease (or never had one: rows from
    before leases)."""
    expired = Q(heartbeat_at__lt=now - lease_duration()) | Q(heartbeat_at__isnull=True)
    return Q(state=RUNNING) & expired


def claim(queryset, *, pk: int) -> uuid.UUID | None:
    """Take the lease of a waiting row, or of a running one whose lease ran out; the token, or
    None when the row is finished, held by a live worker or out of attempts."""
    now = timezone.now()
    token = uuid.uuid4()
    claimed = (
        queryset.filter(pk=pk, attempts__lt=max_attempts())
        .filter(Q(state=PENDING) | stale(now=now))
        .update(
            state=RUNNING,
            claimed_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            lease_token=token,
        )
    )
    return token if claimed else None


def finish(queryset, *, pk: int, token, **values) -> bool:
    """Write the outcome of work if this worker still holds the lease; whether it did."""
    return bool(queryset.filter(pk=pk, state=RUNNING, lease_token=token).update(**values))


def finish_or_discard(queryset, *, pk: int, token, **values) -> None:
    """`finish` inside the work's transaction: a lost lease raises, rolling the work back."""
    if not finish(queryset, pk=pk, token=token, **values):
        raise LeaseLost(f"{queryset.model._meta.label} {pk}")


def give_up_exhausted(queryset, *, now: dt.datetime, message: str) -> int:
    """Fail the stale rows that have used all their attempts: each one killed its worker."""
    return (
        queryset.filter(stale(now=now), attempts__gte=max_attempts())
        .order_by()
        .update(state=FAILED, message=message[:500], finished_at=now)
    )


class Heartbeat:
    """Renews a claimed row's lease from a thread of its own (with its own database
    connection, so it commits while the work's transaction is open) until the work ends."""

    def __init__(self, queryset, *, pk: int, token):
        self.queryset = queryset
        self.pk = pk
        self.token = token
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{pk}", daemon=True)

    @property
    def interval(self) -> float:
        return settings.BACKGROUND_LEASE_SECONDS / 5

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                self._beat()
        finally:
            connection.close()  # the thread's own connection

    def _beat(self):
        try:
            renewed = self.queryset.filter(
                pk=self.pk, state=RUNNING, lease_token=self.token
            ).update(heartbeat_at=timezone.now())
        except Exception:  # noqa: BLE001 - a missed beat; the next one tries again
            logger.warning("could not renew the lease of %s %s", self.queryset.model, self.pk)
            return
        if not renewed and not self.lost:
            self.lost = True
            logger.warning("%s %s: the lease is lost", self.queryset.model._meta.label, self.pk)
