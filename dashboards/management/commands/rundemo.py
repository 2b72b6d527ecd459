"""The whole portal in one command (`make demo`): runserver, and a Celery worker with beat on
the broker of the settings (Redis when REDIS_URL is set, else the embedded filesystem broker of
the local settings), so imports, exports and assessment runs finish and the scheduled sweeps
run. Ctrl-C (or SIGTERM) stops all of them; see anji_recycling/supervisor.py."""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from anji_recycling.supervisor import Child, Supervisor


def broker_description() -> str:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        return _("the embedded broker in %(folder)s") % {"folder": folder}
    return settings.CELERY_BROKER_URL


# Addresses runserver listens on that nobody types into a browser: links use 127.0.0.1 (an
# allowed host by default) with the port served.
WILDCARD_HOSTS = {"", "0", "0.0.0.0", "::", "[::]"}


def demo_portal_url(addrport: str) -> str:
    """The portal's address as runserver serves `addrport` ("8080", "0.0.0.0:8080",
    "[::1]:8000"), for the links in notification emails (settings.PORTAL_URL)."""
    host, _, port = addrport.rpartition(":")
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def children_env(addrport: str) -> dict[str, str]:
    """The environment of the web server and the worker: DJANGO_PORTAL_URL follows the address
    served unless it is set."""
    env = dict(os.environ)
    env.setdefault("DJANGO_PORTAL_URL", demo_portal_url(addrport))
    return env


class Command(BaseCommand):
    help = "Run the web server and a Celery worker with beat together; Ctrl-C stops them all."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--concurrency", type=int, default=2, help="Celery worker processes (default 2)."
        )

    def handle(self, *args, addrport, concurrency, **options):
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        state = Path(getattr(settings, "CELERY_BROKER_DIR", Path(settings.BASE_DIR) / ".celery"))
        state.mkdir(parents=True, exist_ok=True)
        env = children_env(addrport)
        children = [
            Child(
                "celery",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "anji_recycling",
                    "worker",
                    "--beat",
                    "--schedule",
                    str(state / "celerybeat-schedule"),
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    str(concurrency),
                ],
            ),
            Child("runserver", [sys.executable, manage, "runserver", addrport], whole_group=True),
        ]
        self.stdout.write(
            _(
                "Web server at http://%(addrport)s/, Celery worker and beat on %(broker)s. "
                "Ctrl-C stops them all."
            )
            % {"addrport": addrport, "broker": broker_description()}
        )
        status = Supervisor(children, env=env, write=self.stdout.write).run()
        if status:
            sys.exit(status)
