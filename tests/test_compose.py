"""docker-compose.yml is valid and runs the portal as operators rely on: migrations once before
anything else, web replicas behind the bundled proxy, exactly one beat, healthchecks on the
probes.

No Docker engine runs here, and `config` needs none: `docker compose config` (the plugin) or
Debian's `docker-compose` (scripts/system-deps.sh installs it for `make test`) loads the file as
an operator's `docker compose up` would, and two deliberately broken variants must be refused.
The file is also checked against the Compose Specification's JSON schema as check-jsonschema
ships it (`--builtin-schema vendor.compose-spec`)."""

import http.server
import re
import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from ruamel.yaml import YAML

from anji_recycling import probe

ROOT = Path(settings.BASE_DIR)
COMPOSE = ROOT / "docker-compose.yml"
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return YAML(typ="safe").load(COMPOSE.read_text())


def validate(path: Path) -> subprocess.CompletedProcess:
    checker = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_compose_file_follows_the_compose_specification():
    done = validate(COMPOSE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_catches_a_misspelt_condition(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        COMPOSE.read_text().replace(
            "condition: service_completed_successfully", "condition: service_completed"
        )
    )
    assert validate(broken).returncode != 0


def compose_command() -> list[str]:
    """`docker compose` when the plugin is there, else Debian's docker-compose."""
    docker = shutil.which("docker")
    if docker:
        plugin = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, timeout=60
        )
        if plugin.returncode == 0:
            return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    assert standalone, "docker-compose is missing: run `make system-deps` (scripts/system-deps.sh)"
    return [standalone]


def compose_config(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    """`docker compose config` on `text` in a project directory with .env from .env.example."""
    (tmp_path / "docker-compose.yml").write_text(text)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    return subprocess.run(
        [
            *compose_command(),
            "--project-directory",
            str(tmp_path),
            "-f",
            str(tmp_path / "docker-compose.yml"),
            "config",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def test_docker_compose_config_accepts_the_file(tmp_path):
    done = compose_config(tmp_path, COMPOSE.read_text())
    assert done.returncode == 0, done.stdout + done.stderr
    resolved = YAML(typ="safe").load(done.stdout)["services"]
    # The anchors merged as compose resolves them: the shared environment reaches every app
    # service, the beat's own heartbeat file included.
    for name in ("migrate", *APP_SERVICES):
        environment = resolved[name]["environment"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0", name
        assert environment["DJANGO_SETTINGS_MODULE"].endswith(".production"), name
    assert resolved["beat"]["environment"]["CELERY_BEAT_HEARTBEAT_FILE"]
    assert resolved["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        # A condition compose does not know.
        (
            "condition: service_completed_successfully",
            "condition: service_completed",
            "service_completed",
        ),
        # web, worker and beat wait for a service that no longer exists.
        ("\n  migrate:\n", "\n  migrations:\n", "migrate"),
    ],
)
def test_docker_compose_config_refuses_a_broken_file(tmp_path, old, new, complaint):
    text = COMPOSE.read_text()
    assert old in text
    done = compose_config(tmp_path, text.replace(old, new))
    assert done.returncode != 0
    assert complaint in done.stdout + done.stderr


def test_every_service_that_is_waited_for_exists(compose):
    services = compose["services"]
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= set(services), name


def test_migrations_run_once_before_web_worker_and_beat(compose):
    services = compose["services"]
    migrate = services["migrate"]
    assert "manage.py migrate" in " ".join(migrate["command"])
    assert "manage.py load_anji" in " ".join(migrate["command"])
    assert migrate["restart"] == "no"
    for name in APP_SERVICES:
        service = services[name]
        assert service["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
        assert "migrate" not in " ".join(service["command"]), name
        assert service["image"] == migrate["image"] == "anji-recycling", name
        assert service["environment"]["DJANGO_SETTINGS_MODULE"].endswith(".production")


PRODUCTION_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    }
}


@pytest.mark.django_db
def test_the_migrate_service_creates_the_production_cache_table(compose):
    """A database migrated under other settings (the accounts migration then made no cache
    table) still gets `portal_cache` from the migrate service, or every API request of the
    production web replicas fails."""
    script = compose["services"]["migrate"]["command"][-1]
    steps = [shlex.split(step) for step in script.split("&&")]
    assert all(step[:2] == ["python", "manage.py"] for step in steps), steps
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS portal_cache")
    with override_settings(CACHES=PRODUCTION_CACHES):
        for step in steps:
            call_command(*step[2:], verbosity=0)
    assert "portal_cache" in connection.introspection.table_names()


def test_web_scales_behind_the_bundled_proxy(compose):
    services = compose["services"]
    web = services["web"]
    assert "ports" not in web and "container_name" not in web
    assert web["command"][0] == "gunicorn"
    proxy = services["proxy"]
    assert proxy["ports"] == ["127.0.0.1:8000:80"]
    assert proxy["depends_on"]["web"] == {"condition": "service_healthy"}
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    mounted = {volume.split(":")[0] for volume in proxy["volumes"]}
    assert "./deploy/nginx.conf" in mounted
    assert re.search(r"set \$web http://web:8000;\s+proxy_pass \$web;", nginx)
    for header in ("Host", "X-Forwarded-Proto", "X-Forwarded-For", "X-Request-ID"):
        assert f"proxy_set_header {header} " in nginx
    assert re.search(r"location /media/ \{\s+return 404;", nginx)


def test_exactly_one_beat(compose):
    beat = compose["services"]["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert beat["command"][:4] == ["celery", "-A", "anji_recycling", "beat"]
    worker = compose["services"]["worker"]
    assert "-B" not in worker["command"] and "--beat" not in worker["command"]


def test_each_app_service_has_a_healthcheck_on_its_probe(compose):
    services = compose["services"]
    web = " ".join(services["web"]["healthcheck"]["test"])
    assert "anji_recycling.probe http://127.0.0.1:8000/readyz/" in web
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    beat = services["beat"]
    assert "--file /tmp/celerybeat-heartbeat" in " ".join(beat["healthcheck"]["test"])
    assert beat["environment"]["CELERY_BEAT_HEARTBEAT_FILE"] == "/tmp/celerybeat-heartbeat"
    # The beat's own environment still holds the shared one (the merge kept it).
    assert beat["environment"]["REDIS_URL"] == "redis://redis:6379/0"


class Answer(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):
        self.send_response(self.server.status)
        self.end_headers()
        self.wfile.write(b'{"status": "x"}')

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(("status", "exit_code"), [(200, 0), (503, 1)])
def test_the_web_healthcheck_passes_only_on_http_200(status, exit_code):
    server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
    server.status = status
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/readyz/"
        assert probe.main([url]) == exit_code
    finally:
        server.shutdown()
        server.server_close()
    assert probe.main(["http://127.0.0.1:1/readyz/"]) == 1  # nothing listens
