"""A server started without DJANGO_SETTINGS_MODULE runs the production settings (gunicorn on
wsgi.py, an ASGI server on asgi.py); manage.py and the celery command default to local."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SHOW = "import {module}; from django.conf import settings; print(settings.SETTINGS_MODULE)"


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("anji_recycling.wsgi", "anji_recycling.settings.production"),
        ("anji_recycling.asgi", "anji_recycling.settings.production"),
        ("anji_recycling.celery", "anji_recycling.settings.local"),
    ],
)
def test_default_settings_of_each_entry_point(module, expected):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SECRET_KEY="test-only-not-a-secret", DJANGO_ALLOWED_HOSTS="portal.example")
    done = subprocess.run(
        [sys.executable, "-c", SHOW.format(module=module)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == expected


def test_production_sends_email_by_smtp_and_trusts_one_proxy():
    """As README documents (环境变量): the compose stack has one HTTPS proxy in front."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AXES_")}
    env.pop("DJANGO_EMAIL_BACKEND", None)
    env.update(
        DJANGO_SETTINGS_MODULE="anji_recycling.settings.production",
        DJANGO_SECRET_KEY="test-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="portal.example",
    )
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_BACKEND, settings.TRUSTED_PROXY_COUNT, "
        "','.join(settings.AXES_IPWARE_META_PRECEDENCE_ORDER), "
        "settings.AXES_IPWARE_PROXY_COUNT, settings.IPWARE_STRICT)"
    )
    done = subprocess.run(
        [sys.executable, "-c", show],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # The client's address is the last one in X-Forwarded-For, whatever the client put before
    # it (tests/accounts/test_login_behind_proxy.py logs in through such a proxy).
    assert done.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "1",
        "HTTP_X_FORWARDED_FOR",
        "0",
        "False",
    ]
