"""Celery application: configuration comes from Django settings (CELERY_* names)."""

import contextlib
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

from . import log_context

# The celery command defaults to the local settings, like manage.py. Importing the package
# (as gunicorn does for wsgi.py) runs this first; wsgi.py/asgi.py replace a default set here
# by the production settings.
SETTINGS_DEFAULTED = "DJANGO_SETTINGS_MODULE" not in os.environ
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anji_recycling.settings.local")

app = Celery("anji_recycling")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_task_log_tokens = {}


@task_prerun.connect
def _bind_task_id(task_id=None, **kwargs):
    """Log lines written while a task runs carry its id (see log_context)."""
    _task_log_tokens[task_id] = log_context.bind_task(task_id)


@task_postrun.connect
def _unbind_task_id(task_id=None, **kwargs):
    token = _task_log_tokens.pop(task_id, None)
    if token is not None:
        # ValueError: set in another context (a pool thread): nothing to undo here.
        with contextlib.suppress(ValueError):
            log_context.unbind_task(token)
