"""The static beat schedule names only tasks the worker knows, each sweeping every few minutes."""

from django.conf import settings

from anji_recycling.celery import app


def test_every_scheduled_task_is_registered_and_runs_within_half_an_hour():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        assert 0 < entry["schedule"] <= 1800, name
