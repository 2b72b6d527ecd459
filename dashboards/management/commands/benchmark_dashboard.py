"""Time the dashboard's JSON endpoint and page on the data in the database, and count their
queries:

    python manage.py seed_demo --scale 10   # about 5,000 sites, 100,000 reports, 20,000 cases
    python manage.py benchmark_dashboard --runs 20

Each request goes through Django's test client with a logged-in user (the whole stack:
session, middleware, selectors, serializer or template; `json-cold` with the figure cache
emptied before each request, as after a write; `mkt`, `mkt-cold`, `mkt-data` the market
dashboard's page and chart data), for a county leader, a township
officer (of the first township) and an agency officer (the market-supervision bureau), for the
current month, quarter and year. The users and sessions it writes are rolled back at the end.
"""

import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from accounts.services import assign_role
from agencies.models import Agency, Township
from inspections.models import Case, Inspection
from sites.models import Site

from ...choices import PeriodKind
from ...periods import Period

BUDGET_MS = 300


class _Rollback(Exception):
    """Raised to leave the benchmark's transaction without keeping what it wrote."""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Time the dashboard's JSON endpoint, the home page and the market dashboard (median, "
        "p95) and count their queries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20, help="Timed requests per line.")

    def handle(self, *args, runs, **options):
        if runs < 2:
            raise CommandError(_("Give at least two runs."))
        if not Township.objects.exists():
            raise CommandError(_("Run load_anji first (and seed_demo --scale N for data)."))
        self.stdout.write(
            _("Data: %(sites)s sites, %(inspections)s reports, %(cases)s cases.")
            % {
                "sites": f"{Site.objects.count():,}",
                "inspections": f"{Inspection.objects.count():,}",
                "cases": f"{Case.objects.count():,}",
            }
        )
        self.stdout.write(
            f"{'what':<10} {'user':<18} {'period':<8} {'median ms':>10} {'p95 ms':>8} "
            f"{'queries':>8}"
        )
        try:
            with transaction.atomic():
                self._run(runs)
                raise _Rollback
        except _Rollback:
            pass

    def _users(self) -> dict:
        township = Township.objects.order_by("code").first()
        agency = Agency.objects.get(code="market")
        scopes = [
            (Role.LEADER, {}),
            (Role.TOWNSHIP_OFFICER, {"township": township}),
            (Role.AGENCY_OFFICER, {"agency": agency}),
        ]
        users = {}
        for role, scope in scopes:
            user = User.objects.create(username=f"benchmark-dashboard-{role}")
            users[role] = assign_role(user=user, role=role, **scope)
        return users

    def _run(self, runs: int) -> None:
        today = timezone.localdate()
        host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
        periods = [Period.containing(kind=kind, day=today) for kind in PeriodKind]
        # json-cold: the figure cache emptied before each request (as after every write).
        # The market dashboard (page and chart data, on the figure cache too) reads no
        # period: timed once per user.
        targets = [
            ("json-cold", reverse("api:dashboard")),
            ("json", reverse("api:dashboard")),
            ("page", reverse("home")),
            ("mkt-cold", reverse("trade:dashboard")),
            ("mkt", reverse("trade:dashboard")),
            ("mkt-data", reverse("trade:dashboard-data")),
        ]
        slowest = 0.0
        for role, user in self._users().items():
            client = Client(HTTP_HOST=host.lstrip("."))
            client.force_login(user)
            for what, url in targets:
                for period in periods[:1] if what.startswith("mkt") else periods:
                    query = {"period": period.key}
                    with CaptureQueriesContext(connection) as captured:
                        response = client.get(url, query)
                    # Counted now: the next request resets the connection's query log.
                    query_count = len(captured)
                    if response.status_code != 200:
                        raise CommandError(f"{url} {response.status_code}")
                    timings = []
                    for _run in range(runs):
                        if what.endswith("-cold"):
                            cache.clear()
                        started = time.perf_counter()
                        client.get(url, query)
                        timings.append((time.perf_counter() - started) * 1000)
                    median, p95 = statistics.median(timings), _percentile(timings, 0.95)
                    if what.startswith("json"):
                        slowest = max(slowest, p95)
                    self.stdout.write(
                        f"{what:<10} {role:<18} {period.kind:<8} {median:>10.1f} {p95:>8.1f} "
                        f"{query_count:>8}"
                    )
        if slowest <= BUDGET_MS:
            verdict = _("Slowest JSON p95: %(ms).0f ms, within the %(budget)d ms budget.")
        else:
            verdict = _("Slowest JSON p95: %(ms).0f ms, OVER the %(budget)d ms budget.")
        self.stdout.write(verdict % {"ms": slowest, "budget": BUDGET_MS})
