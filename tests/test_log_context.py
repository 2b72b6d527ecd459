"""Log lines say which request (its id, echoed to the proxy), which user and township, and
which Celery task they belong to; production writes them as JSON."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from accounts.tasks import send_notification_emails
from anji_recycling.log_context import LogContextFilter
from tests.conftest import DIPU

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """Records of the portal's loggers, written with the JSON formatter of production."""
    options = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(LogContextFilter())
    loggers = [
        logging.getLogger(name) for name in ("anji_recycling.request", "accounts.notifications")
    ]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_a_request_line_carries_the_proxys_request_id_the_user_and_the_township(
    client, settings, dipu_officer, json_lines
):
    settings.LOG_REQUESTS = True
    client.force_login(dipu_officer)
    response = client.get("/sites/", HTTP_X_REQUEST_ID="nginx-4f2a9c")

    assert response.status_code == 200
    assert response["X-Request-ID"] == "nginx-4f2a9c"
    (line,) = json_lines()
    assert line["message"] == "GET /sites/ 200"
    assert line["level"] == "INFO"
    assert line["logger"] == "anji_recycling.request"
    assert (line["request_id"], line["user"], line["township"]) == (
        "nginx-4f2a9c",
        dipu_officer.username,
        DIPU,
    )
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], int)


@pytest.mark.parametrize("sent", [None, "", "two words", "x" * 101, "id\nforged: line"])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    first = client.get("/accounts/login/", **headers)["X-Request-ID"]
    second = client.get("/accounts/login/", **headers)["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


def test_an_anonymous_request_logs_no_user(client, settings, json_lines):
    settings.LOG_REQUESTS = True
    client.get("/accounts/login/")
    (line,) = json_lines()
    assert (line["user"], line["township"]) == ("-", "-")
    assert len(line["request_id"]) == 32


def test_a_task_line_carries_the_task_id(json_lines):
    result = send_notification_emails.delay()
    (line,) = json_lines()
    assert line["message"].startswith("notification emails:")
    assert line["task_id"] == result.id
    assert line["request_id"] == "-"


def test_production_settings_write_json_lines():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anji_recycling.settings.production",
        "DJANGO_SECRET_KEY": "test-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "portal.example",
    }
    script = "import django, logging; django.setup(); logging.getLogger('sites').warning('桶满')"
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert {key: line[key] for key in ("level", "logger", "message", "request_id", "task_id")} == {
        "level": "WARNING",
        "logger": "sites",
        "message": "桶满",
        "request_id": "-",
        "task_id": "-",
    }
