import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import SecurityEvent
from accounts.services import assign_role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.8",
    )


def test_login_and_failed_login_are_logged(client, dipu_officer):
    _login(client, dipu_officer.username, "wrong-password")
    response = _login(client, dipu_officer.username, PASSWORD)

    assert response.status_code == 302
    kinds = list(
        SecurityEvent.objects.filter(username=dipu_officer.username)
        .order_by("at")
        .values_list("kind", flat=True)
    )
    assert kinds[-2:] == ["login_failed", "login"]
    assert SecurityEvent.objects.filter(ip_address="10.0.0.8").exists()


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, dipu_officer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, dipu_officer.username, "wrong-password")

    response = _login(client, dipu_officer.username, PASSWORD)

    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert SecurityEvent.objects.filter(kind="locked_out").exists()


def test_role_change_is_logged_with_who_did_it(dipu_officer, commerce_admin, changshuo):
    assign_role(
        user=dipu_officer, role=Role.TOWNSHIP_OFFICER, township=changshuo, actor=commerce_admin
    )

    event = SecurityEvent.objects.filter(kind="permission_change", user=commerce_admin).latest("at")
    assert dipu_officer.username in event.detail
    assert dipu_officer.groups.get().name == "role:township_officer"


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short1A!", False),
        ("alllowercaseletters", False),
        ("lowerUPPER1234", True),
        ("Anji-demo-2026", True),
    ],
)
def test_password_rules(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"] for q in queries if '"django_session"' in q["sql"] and "SELECT" not in q["sql"]
    ]


def test_sessions_end_after_thirty_idle_minutes_written_once_a_minute(client, leader):
    """A request moves the session's end 30 minutes on, writing the session at most once a
    minute (not on every page and API call, nor on the first page after the log-in, which has just
    written it: query budgets hold from the first page); 30 minutes without a request end it."""
    assert settings.SESSION_COOKIE_AGE == 1800
    home = reverse("dashboards:dashboard")
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(leader)
        assert _session_writes(client, home) == []  # the log-in has just written it
        clock.shift(dt.timedelta(seconds=59))
        assert _session_writes(client, home) == []
        clock.shift(dt.timedelta(seconds=2))
        assert len(_session_writes(client, home)) == 1
        session = Session.objects.get()
        assert session.expire_date == timezone.now() + dt.timedelta(minutes=30)
        clock.shift(dt.timedelta(minutes=29, seconds=59))
        assert client.get(home).status_code == 200  # still in
        clock.shift(dt.timedelta(minutes=30, seconds=1))
        response = client.get(home)
        assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_api_calls_signed_in_by_a_token_write_no_session_row(api_client, leader):
    """A client of the API (the city's platform, a mobile app) calls without a session: keeping
    sessions alive must not leave a session row per call."""
    api_client.force_authenticate(leader)
    for _ in range(3):
        assert api_client.get("/api/v1/townships/").status_code == 200
    assert not Session.objects.exists()


def test_a_visitor_without_a_login_gets_no_session_row(client):
    client.get(reverse("accounts:login"))
    assert not Session.objects.exists()


def test_pages_carry_a_content_security_policy_with_a_nonce(client, leader):
    client.force_login(leader)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "object-src 'none'" in policy


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anji_recycling.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-0123456789",
        "DJANGO_ALLOWED_HOSTS": "recycling.anji.gov.cn",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
