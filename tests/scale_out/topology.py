"""The scale-out topology on loopback ports, for the tests beside this module:

    one S3-compatible server (moto)      one bucket, private
    two gunicorn web processes           web-1, web-2
    two Celery workers                   topology-1@, topology-2@ (prefork, one child each)
    one Celery beat                      the production schedule, every few seconds
    one PostgreSQL database, one Redis   the test database, REDIS_URL

Every process runs the production settings (tests/scale_out/settings.py changes only static
files, the email backend and the sweep interval) from the environment alone; nothing is shared
between them but the database, Redis and the bucket. Each is started in its own process group,
its id written to `pids` in the work directory, its output to `<name>.log` there, and
`stop()` ends each group by that id (SIGTERM, then SIGKILL).

Ports are the first free ones from TOPOLOGY_PORTS (default 8240-8299).
"""

import contextlib
import email
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
BUCKET = "anji-topology"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "topology", "AWS_SECRET_ACCESS_KEY": "topology-secret"}
REGION = "us-east-1"
SWEEP_SECONDS = 2.0
START_TIMEOUT = 120  # seconds for every process to answer, on a busy two-core machine
WORKERS = ("topology-1", "topology-2")
EMAIL_SEPARATOR = "-" * 79  # Django's file backend writes this line after each message


def free_ports(count: int) -> list[int]:
    first, last = (int(p) for p in os.environ.get("TOPOLOGY_PORTS", "8240-8299").split("-"))
    ports = []
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"fewer than {count} free ports in {first}-{last}")


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.25):
    """Poll `condition` until it returns something truthy (returned) or time runs out. The
    processes are separate: polling is how one learns that another has done its part."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(interval)


@dataclass
class Topology:
    database_url: str
    redis_url: str
    workdir: Path
    sweep_seconds: float = SWEEP_SECONDS
    processes: dict = field(default_factory=dict)

    def __post_init__(self):
        self.s3_port, web_1, web_2 = free_ports(3)
        self.web_urls = [f"http://127.0.0.1:{web_1}", f"http://127.0.0.1:{web_2}"]
        self.s3_url = f"http://127.0.0.1:{self.s3_port}"
        self.email_dir = self.workdir / "emails"
        self.media_root = self.workdir / "media"  # must stay empty: files go to the bucket
        self.email_dir.mkdir(parents=True, exist_ok=True)

    # The processes ------------------------------------------------------------------------

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "DJANGO_SETTINGS_MODULE": "tests.scale_out.settings",
            "DJANGO_SECRET_KEY": "scale-out-test-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_PORTAL_URL": self.web_urls[0],
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_BROKER_URL": self.redis_url,
            "CELERY_RESULT_BACKEND": self.redis_url,
            "DJANGO_MEDIA_ROOT": str(self.media_root),
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.s3_url,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_ADDRESSING_STYLE": "path",
            **S3_KEYS,
            "DJANGO_EXPORT_BACKGROUND_ROWS": "2",
            "TOPOLOGY_EMAIL_DIR": str(self.email_dir),
            "TOPOLOGY_SWEEP_SECONDS": str(self.sweep_seconds),
        }

    def _spawn(self, name: str, *args: str, **env: str) -> None:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=REPO,
            env={**self.env, **env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended as one in stop()
        )
        self.processes[name] = (process, log)
        with open(self.workdir / "pids", "a") as pids:
            pids.write(f"{name} {process.pid}\n")

    def start(self) -> "Topology":
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        self._spawn("s3", "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port))
        # The production cache table (the accounts migration makes it where CACHES says so;
        # the test database was migrated with the test settings' local cache).
        subprocess.run(
            [sys.executable, "manage.py", "createcachetable"],
            cwd=REPO,
            env=self.env,
            check=True,
            capture_output=True,
        )
        for index, url in enumerate(self.web_urls, start=1):
            port = url.rsplit(":", 1)[1]
            self._spawn(
                f"web-{index}",
                "-m",
                "gunicorn",
                "anji_recycling.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
                # Its own directory for gunicorn's control socket (newer versions open one).
                XDG_RUNTIME_DIR=str(self._directory(f"web-{index}")),
            )
        self._wait_for_s3()
        self.s3().create_bucket(Bucket=BUCKET)
        self.purge_queue()
        for worker in WORKERS:
            self._spawn(
                worker,
                "-m",
                "celery",
                "-A",
                "anji_recycling",
                "worker",
                "-n",
                f"{worker}@%h",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
            )
        self._spawn(
            "beat",
            "-m",
            "celery",
            "-A",
            "anji_recycling",
            "beat",
            "-l",
            "info",
            "--schedule",
            str(self.workdir / "beat-schedule"),
            "--pidfile",
            str(self.workdir / "beat.pid"),
        )
        for url in self.web_urls:
            wait_until(
                lambda url=url: self._answers(url),
                timeout=START_TIMEOUT,
                what=f"the web process at {url}",
            )
        wait_until(
            lambda: set(WORKERS) <= set(self.worker_names()),
            timeout=START_TIMEOUT,
            what="both Celery workers",
        )

    def _check_alive(self):
        for name, (process, _log) in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log(name)}")

    def _answers(self, url: str) -> bool:
        self._check_alive()
        try:
            response = requests.get(
                url + "/accounts/login/", headers={"X-Forwarded-Proto": "https"}, timeout=5
            )
        except requests.RequestException:
            return False
        return response.status_code == 200

    def _wait_for_s3(self):
        def listening():
            self._check_alive()
            # The first request loads moto's S3 backend: slow on a busy machine.
            with contextlib.suppress(requests.RequestException):
                return requests.get(self.s3_url, timeout=30).status_code < 500
            return False

        wait_until(listening, timeout=START_TIMEOUT, what="the S3 server")

    def _directory(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(exist_ok=True)
        return path

    def log(self, name: str, tail: int = 4000) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")[-tail:]

    def stop(self) -> None:
        """End every process group that was started, by its recorded id."""
        for _name, (process, _log) in self.processes.items():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for _name, (process, log) in self.processes.items():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
            # Children of the group (gunicorn's and Celery's) that outlived their parent.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            log.close()
        self.processes.clear()

    # The bucket and the workers, seen from the test -----------------------------------------

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            region_name=REGION,
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def bucket_keys(self) -> list[str]:
        listing = self.s3().list_objects_v2(Bucket=BUCKET)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    @staticmethod
    def _celery():
        from anji_recycling.celery import app

        return app

    def purge_queue(self) -> None:
        """Messages left in the queue by an earlier run name rows that are gone."""
        self._celery().control.purge()

    def worker_names(self) -> list[str]:
        self._check_alive()
        replies = self._celery().control.ping(timeout=1.0) or []
        return [name.split("@")[0] for reply in replies for name in reply]

    def task_totals(self) -> dict[str, dict[str, int]]:
        """{worker: {task name: tasks run}} from the workers themselves."""
        stats = self._celery().control.inspect(timeout=2.0).stats() or {}
        return {name.split("@")[0]: reply.get("total", {}) for name, reply in stats.items()}


# HTTP as the users: sessions, CSRF, the reverse proxy's header --------------------------------


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PortalUser:
    """One person in one browser: a session shared by both web processes (the cookie is the
    host's, whatever the port), every request marked as HTTPS as the reverse proxy does."""

    def __init__(self, topology: Topology, username: str, password: str):
        self.topology = topology
        self.username = username
        self.http = requests.Session()
        self.http.headers["X-Forwarded-Proto"] = "https"
        self.password = password
        self.csrf = ""

    def url(self, web: int, path: str) -> str:
        return self.topology.web_urls[web] + path

    def get(self, web: int, path: str, **kwargs):
        response = self.http.get(self.url(web, path), timeout=30, **kwargs)
        found = (
            CSRF_INPUT.search(response.text)
            if "html" in response.headers.get("Content-Type", "")
            else None
        )
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, web: int, path: str, data=None, files=None, **kwargs):
        """A form post as the browser sends it: the page's CSRF token and the Origin header
        of the HTTPS site."""
        origin = self.topology.web_urls[web].replace("http://", "https://")
        return self.http.post(
            self.url(web, path),
            data={"csrfmiddlewaretoken": self.csrf, **(data or {})},
            files=files,
            headers={"Origin": origin},
            timeout=60,
            **kwargs,
        )

    def log_in(self, web: int) -> None:
        self.get(web, "/accounts/login/")
        response = self.post(
            web,
            "/accounts/login/",
            {"username": self.username, "password": self.password},
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text[:2000]


# The emails the workers wrote ------------------------------------------------------------------


def sent_emails(directory: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every message Django's file backend wrote into `directory`:
    a file per connection, each message followed by a line of 79 dashes."""
    messages = []
    for path in sorted(directory.glob("*.log")):
        text = path.read_text()
        for raw in text.split(f"\n{EMAIL_SEPARATOR}\n"):
            if not raw.strip():
                continue
            message = email.message_from_string(raw)
            subject = str(make_header(decode_header(message["Subject"])))
            messages.append((message["To"], subject))
    return messages
