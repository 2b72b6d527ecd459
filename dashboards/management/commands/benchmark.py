"""Every heavy path of issue 16 against its anchor, side by side in one run, on the database
as seeded (`seed_demo --scale N`):

    python manage.py benchmark                       # every path
    python manage.py benchmark --paths import,http   # some
    python manage.py benchmark --runs 5

Each path and its anchor run in turn (anchor, path, anchor, path …) and the medians are
compared: on a shared machine the ratio holds where absolute times drift. The table gives the
project's figure, the anchor's, their ratio and the target. The dashboard, market balance and
placement benchmarks are their own commands (benchmark_dashboard, benchmark_balance,
benchmark_placement); `--paths dashboard,balance` runs them after the table.
`json`: the leader's and a township officer's dashboard JSON, cold and warm, against the raw
SQL of the same request (dashboards/benchmarks.py).
Everything a path writes is rolled back; the HTTP path starts its own gunicorn.
"""

import os
import statistics
import subprocess
import sys
import tempfile

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from accounts.choices import Role
from accounts.selectors import officers
from anji_recycling.benchmarking import Row, hammer, serve_with_gunicorn, table
from dashboards.benchmarks import dashboard_paths
from inspections.benchmarks import patrol_paths
from inspections.models import Case, Inspection, PatrolTask
from sites.benchmarks import BenchmarkError, export_path, import_path
from sites.models import Site

PATHS = ["import", "patrols", "export", "json", "http", "dashboard", "balance"]
# A leader's day: the pages they open and the API lists an app reads.
HTTP_MIX = [
    "/dashboard/",
    "/sites/",
    "/cases/",
    "/inspections/",
    "/api/v1/sites/",
    "/api/v1/cases/",
    "/api/v1/inspections/",
    "/api/v1/patrol-tasks/",
]


class Command(BaseCommand):
    help = "Time each heavy path side by side with its anchor and print the table."

    def add_arguments(self, parser):
        parser.add_argument(
            "--paths", default=",".join(PATHS), help=f"Comma-separated: {', '.join(PATHS)}."
        )
        parser.add_argument("--runs", type=int, default=3, help="Runs of each, alternating.")
        parser.add_argument("--import-rows", type=int, default=10_000)
        parser.add_argument(
            "--patrol-sites", type=int, default=100_000, help="Sites added for the patrol plan."
        )
        parser.add_argument("--http-seconds", type=float, default=10)
        parser.add_argument("--http-connections", type=int, default=16)
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("TOPOLOGY_PORTS", "8480-").split("-")[0]),
        )

    def handle(self, *args, paths, runs, import_rows, patrol_sites, **options):
        chosen = [path.strip() for path in paths.split(",") if path.strip()]
        unknown = set(chosen) - set(PATHS)
        if unknown or runs < 1:
            raise CommandError(f"Unknown paths {sorted(unknown)} or --runs below 1.")
        self.stdout.write(
            f"Database: {Site.objects.count():,} sites, {Inspection.objects.count():,} reports, "
            f"{Case.objects.count():,} cases, {PatrolTask.objects.count():,} patrol tasks; "
            f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}; "
            f"{runs} runs of each, alternating."
        )
        rows: list[Row] = []
        try:
            if "import" in chosen:
                rows.append(import_path(rows=import_rows, runs=runs))
                self._progress(rows)
            if "patrols" in chosen:
                rows += patrol_paths(sites=patrol_sites, runs=runs)
                self._progress(rows)
            if "export" in chosen:
                rows.append(export_path(runs=runs))
                self._progress(rows)
            if "json" in chosen:
                rows += dashboard_paths(runs=max(runs, 5))
                self._progress(rows)
            if "http" in chosen:
                rows.append(self._http(runs=runs, **options))
                self._progress(rows)
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(table(rows))
        self.stdout.write(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if "dashboard" in chosen:
            self.stdout.write("\nbenchmark_dashboard:")
            call_command("benchmark_dashboard", runs=max(runs * 5, 10), stdout=self.stdout)
        if "balance" in chosen:
            self.stdout.write("\nbenchmark_balance:")
            call_command("benchmark_balance", runs=runs, stdout=self.stdout)

    def _progress(self, rows):
        row = rows[-1]
        self.stderr.write(f"{row.path}: {row.project:.3f} vs {row.anchor:.3f} {row.unit}")

    def _http(self, *, runs, http_seconds, http_connections, port, **options) -> Row:
        """A leader's pages and API lists against /healthz/ (answered by the first
        middleware: the cheapest JSON the same gunicorn serves), requests per second."""
        leader = officers(role=Role.LEADER).first()
        if leader is None:
            raise CommandError("No leader account: run create_demo_accounts first.")
        client = Client()
        client.force_login(leader)
        # The production settings the server runs with name the cookie __Secure-sessionid.
        cookie = f"__Secure-sessionid={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "anji_recycling.settings.production",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
        }
        headers = {
            "Cookie": cookie,
            "Accept-Language": "zh-hans",
            "X-Forwarded-Proto": "https",  # as behind the HTTPS proxy
        }
        # The production settings keep their cache in a table and serve static files from
        # the collected manifest.
        commands = [["createcachetable"]]
        if not (settings.STATIC_ROOT / "staticfiles.json").exists():
            commands.append(["collectstatic", "--noinput", "-v", "0"])
        for command in commands:
            subprocess.run(
                [sys.executable, "manage.py", *command], env=env, cwd=settings.BASE_DIR, check=True
            )
        with tempfile.NamedTemporaryFile("w", prefix="benchmark-gunicorn-", delete=False) as log:
            self.stderr.write(f"gunicorn's log: {log.name}")
            server = serve_with_gunicorn(port=port, workers=2, env=env, log=log)
        try:
            hammer(port=port, paths=HTTP_MIX, headers=headers, seconds=2, connections=4)
            mix, trivial, errors = [], [], 0
            for _run in range(runs):
                plain = hammer(
                    port=port,
                    paths=["/healthz/"],
                    headers=headers,
                    seconds=http_seconds,
                    connections=http_connections,
                )
                load = hammer(
                    port=port,
                    paths=HTTP_MIX,
                    headers=headers,
                    seconds=http_seconds,
                    connections=http_connections,
                )
                trivial.append(plain.rate)
                mix.append(load.rate)
                errors += load.errors + plain.errors
                if load.errors:
                    self.stderr.write(f"HTTP answers: {load.statuses}")
        finally:
            server.terminate()
            server.wait(timeout=30)
        return Row(
            path=f"HTTP, gunicorn 2 sync workers, {http_connections} connections, leader mix",
            project=statistics.median(mix),
            anchor=statistics.median(trivial),
            unit="req/s",
            anchor_name="/healthz/ on the same gunicorn",
            target="≥ 0.3×, 0 errors",
            note=f"{errors} errors",
        )
