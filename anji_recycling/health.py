"""Probes for containers and load balancers: /healthz/ (the process answers) and /readyz/
(the database, the Celery broker and the file storage answer).

`HealthCheckMiddleware` comes first in MIDDLEWARE and answers these two paths itself: no
session, login, CSRF, HTTPS redirect or Host check (a probe asks for http://127.0.0.1:8000,
which is not an allowed host). The answers name each part and say "ok" or "unavailable",
nothing more; the reason goes to the log.
"""

import logging
import os

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)

HEALTHZ = "/healthz/"
READYZ = "/readyz/"
# Seconds each dependency may take to answer before the probe calls it unavailable.
TIMEOUT = 3
# A name that is never written: asking for it reaches the bucket (or disk) and reads nothing.
STORAGE_PROBE = "readyz-probe"


def check_database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")


def check_broker() -> None:
    from anji_recycling.celery import app

    with app.connection_for_write(connect_timeout=TIMEOUT) as connection:
        connection.ensure_connection(max_retries=1, timeout=TIMEOUT)


def check_storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        # The storage makes its folder on the first upload; the probe makes sure it can.
        location = default_storage.location
        os.makedirs(location, exist_ok=True)
        if not os.access(location, os.W_OK):
            raise PermissionError(f"{location} is not writable")
    if getattr(default_storage, "bucket_name", None):
        # django-storages' S3Storage: asking for a missing object cannot tell a missing bucket
        # from a missing object (both 404), so ask for the bucket itself.
        client = default_storage.connection.meta.client
        client.head_bucket(Bucket=default_storage.bucket_name)
        return
    default_storage.exists(STORAGE_PROBE)


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


def healthz() -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz() -> JsonResponse:
    parts = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure means "not ready"; the log says why
            logger.warning("readyz: %s unavailable", name, exc_info=True)
            parts[name] = "unavailable"
        else:
            parts[name] = "ok"
    ready = all(state == "ok" for state in parts.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **parts}, status=200 if ready else 503
    )


PROBES = {HEALTHZ: healthz, READYZ: readyz}


class HealthCheckMiddleware:
    """Answers GET/HEAD of the probe paths before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = probe()
        response["Cache-Control"] = "no-store"
        return response
