import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

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


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


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
