"""Beat sends a sweep it has never sent as soon as it starts (then on its interval), touches
its heartbeat file on each tick for the compose healthcheck, and nothing waits for results."""

import datetime as dt
import os
import time

from django.conf import settings

from anji_recycling import probe
from anji_recycling.beat import SweepScheduler
from anji_recycling.celery import app


def scheduler(path, sent=None):
    beat = SweepScheduler(app=app, schedule_filename=str(path), lazy=True)
    beat.setup_schedule()
    if sent is not None:
        beat.apply_async = lambda entry, *args, **kwargs: sent.append(entry.name)
    return beat


def test_every_sweep_is_due_when_beat_first_starts_then_after_its_interval(tmp_path):
    beat = scheduler(tmp_path / "schedule")
    sweeps = {name: beat.schedule[name] for name in settings.CELERY_BEAT_SCHEDULE}
    assert all(entry.is_due().is_due for entry in sweeps.values())

    ran = next(sweeps["send-notification-emails"])
    due, wait = ran.is_due()
    assert not due
    assert 110 <= wait <= 120


def test_a_restarted_beat_keeps_what_it_already_sent(tmp_path):
    sent = []
    first = scheduler(tmp_path / "schedule", sent)
    for _ in range(len(first.schedule) + 1):  # one due entry is sent per tick
        first.tick()
    first.close()
    assert sorted(sent) == sorted(settings.CELERY_BEAT_SCHEDULE)

    again = []
    restarted = scheduler(tmp_path / "schedule", again)
    for _ in range(len(restarted.schedule) + 1):
        restarted.tick()
    assert again == []


def test_each_tick_touches_the_heartbeat_file_the_healthcheck_reads(tmp_path, monkeypatch):
    heartbeat = tmp_path / "beat-heartbeat"
    monkeypatch.setitem(app.conf, "beat_heartbeat_file", str(heartbeat))
    assert probe.main(["--file", str(heartbeat)]) == 1  # no tick yet

    scheduler(tmp_path / "schedule", []).tick()
    assert probe.main(["--file", str(heartbeat), "--max-age", "180"]) == 0

    old = time.time() - 600
    os.utime(heartbeat, (old, old))
    assert probe.main(["--file", str(heartbeat), "--max-age", "180"]) == 1


def test_heartbeat_setting_reaches_the_celery_app():
    assert "beat_heartbeat_file" in app.conf
    assert app.conf.beat_scheduler == "anji_recycling.beat:SweepScheduler"


def test_no_portal_task_stores_its_result():
    app.loader.import_default_modules()  # the worker's autodiscovery of every app's tasks
    portal_tasks = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    assert "sites.tasks.export_roster" in {task.name for task in portal_tasks}
    assert [task.name for task in portal_tasks if not task.ignore_result] == []


def test_never_is_long_ago():
    assert (
        dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
        > SweepScheduler.Entry(name="x", task="x", schedule=60.0, app=app).last_run_at
    )
