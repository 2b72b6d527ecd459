"""Celery beat's scheduler for the portal's sweeps (settings.CELERY_BEAT_SCHEDULE).

A sweep beat has never sent (a new deployment, a new sweep, the demo's first start) is sent
when beat starts rather than one interval later: sweeps are idempotent, and what fell due
before goes out at once. On every tick beat touches CELERY_BEAT_HEARTBEAT_FILE, which the
compose healthcheck reads (`python -m anji_recycling.probe --file ...`).
"""

import datetime as dt
from pathlib import Path

from celery.beat import PersistentScheduler, ScheduleEntry

NEVER = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class SweepEntry(ScheduleEntry):
    """A schedule entry that, created without a last run, counts as last run long ago."""

    def __init__(self, name=None, task=None, last_run_at=None, *args, **kwargs):
        super().__init__(name, task, last_run_at or NEVER, *args, **kwargs)


class SweepScheduler(PersistentScheduler):
    Entry = SweepEntry

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        heartbeat = self.app.conf.get("beat_heartbeat_file")
        if heartbeat:
            Path(heartbeat).touch()
        return interval
