"""Settings of the Celery worker processes that tests/sites/test_worker_killed.py starts and
kills: the test settings, on the test's database and media directory, with a short lease and
a storage that can hold a job mid-task (tests/sites/held_storage.py)."""

from anji_recycling.settings.test import *  # noqa: F403
from anji_recycling.settings.test import STORAGES, env

CELERY_TASK_ALWAYS_EAGER = False
DATABASES = {"default": env.db("WORKER_DATABASE_URL")}
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "tests.sites.held_storage.HeldStorage",
        "OPTIONS": {"location": env("WORKER_MEDIA_ROOT")},
    },
}
BACKGROUND_LEASE_SECONDS = env.int("DJANGO_BACKGROUND_LEASE_SECONDS")
