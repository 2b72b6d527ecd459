"""`make demo`'s last step, `manage.py rundemo`, runs the whole portal on the embedded default:
runserver, and a Celery worker with beat on kombu's filesystem broker, all on SQLite. An export
job queued from the web side finishes, beat's email sweep sends a notification to the console,
and SIGINT (Ctrl-C) stops every process it started."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
STARTUP = 120  # seconds; the machine may be busy with other test runs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str, output: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"{what} within {timeout:.0f} s; output:\n{output.read_text()[-4000:]}")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def processes_marked(marker: str) -> list[int]:
    """Live processes whose environment holds `marker` (the demo's own broker folder), however
    they were started or re-parented."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.fixture
def demo_env(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="anji_recycling.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_CELERY_BROKER_DIR=str(tmp_path / "celery"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    return env


def manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, (args, done.stderr[-3000:])
    return done.stdout


SETUP = """
from accounts.models import Notification, User
user = User.objects.create_user("ops_demo", email="ops@example.com")
Notification.objects.create(
    recipient=user, kind="other", title="Ops demo reminder", dedupe_key="k", link="/cases/"
)
"""
START_EXPORT = """
from accounts.models import User
from sites.exports import start_export_job
job = start_export_job(
    kind="site_export", owner=User.objects.get(username="ops_demo"), params={}, filename="x.xlsx"
)
print(job.pk)
"""


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("8081", "http://127.0.0.1:8081"),
        ("localhost:8000", "http://localhost:8000"),
        ("[::]:8082", "http://127.0.0.1:8082"),
    ],
)
def test_the_demos_email_links_follow_the_address_served(addrport, url, monkeypatch):
    from dashboards.management.commands.rundemo import children_env

    monkeypatch.delenv("DJANGO_PORTAL_URL", raising=False)
    assert children_env(addrport)["DJANGO_PORTAL_URL"] == url
    monkeypatch.setenv("DJANGO_PORTAL_URL", "https://recycling.anji.example")
    assert children_env(addrport)["DJANGO_PORTAL_URL"] == "https://recycling.anji.example"


def test_rundemo_runs_web_worker_and_beat_on_the_embedded_broker_and_stops_on_ctrl_c(
    demo_env, tmp_path
):
    manage(demo_env, "migrate", "--noinput", "-v0")
    # Waiting for its email before anything runs: only beat's sweep can send it.
    manage(demo_env, "shell", "-c", SETUP)
    database = sqlite3.connect(tmp_path / "demo.sqlite3")
    port = free_port()
    output = tmp_path / "rundemo.log"
    with output.open("w") as log:
        supervisor = subprocess.Popen(
            [sys.executable, MANAGE, "rundemo", f"127.0.0.1:{port}", "--concurrency", "1"],
            env=demo_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, as a terminal's foreground job (`make demo`) has.
            start_new_session=True,
        )
    marker = f"DJANGO_CELERY_BROKER_DIR={demo_env['DJANGO_CELERY_BROKER_DIR']}"
    try:
        wait_for(
            lambda: http_ok(f"http://127.0.0.1:{port}/readyz/"),
            timeout=STARTUP,
            what="the web server answered /readyz/",
            output=output,
        )
        job_id = int(manage(demo_env, "shell", "-c", START_EXPORT).split()[-1])

        def job_state():
            row = database.execute(
                "SELECT state FROM sites_backgroundjob WHERE id = ?", [job_id]
            ).fetchone()
            return row[0] if row and row[0] in {"done", "failed"} else None

        assert wait_for(job_state, timeout=STARTUP, what="the export finished", output=output) == (
            "done"
        )

        def emailed():
            return (
                database.execute(
                    "SELECT email_state FROM accounts_notification WHERE dedupe_key = 'k'"
                ).fetchone()[0]
                == "sent"
                and "Ops demo reminder" in output.read_text()
            )

        wait_for(
            emailed, timeout=STARTUP, what="beat's sweep emailed to the console", output=output
        )
        # The email's link is to the address served (DEMO_ADDR), not the default :8000.
        assert f"http://127.0.0.1:{port}/cases/" in output.read_text()
        started = processes_marked(marker)
        # The supervisor, runserver (and its reloaded server), the worker, its pool and beat.
        assert len(started) >= 4, started

        # Ctrl-C: the terminal sends SIGINT to the whole foreground process group.
        os.killpg(supervisor.pid, signal.SIGINT)
        assert supervisor.wait(timeout=90) == 0
        assert processes_marked(marker) == []
        with pytest.raises(ProcessLookupError):
            os.killpg(supervisor.pid, 0)  # nothing is left in the group either
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        for pid in processes_marked(marker):
            os.kill(pid, signal.SIGKILL)
        database.close()
