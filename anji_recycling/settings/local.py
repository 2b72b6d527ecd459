"""Local demo: SQLite by default, DEBUG on, and without REDIS_URL an embedded Celery broker
(kombu's filesystem transport in DJANGO_CELERY_BROKER_DIR), so `make demo` needs nothing but
Python: `manage.py rundemo` starts runserver and a worker with beat on it."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

CELERY_BROKER_DIR = Path(env("DJANGO_CELERY_BROKER_DIR", default=str(BASE_DIR / ".celery")))
if not env("REDIS_URL", default="") and not env("CELERY_BROKER_URL", default=""):
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "messages"),
        "data_folder_out": str(CELERY_BROKER_DIR / "messages"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The transport expects its folders to exist.
    for folder in ("messages", "control"):
        (CELERY_BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
