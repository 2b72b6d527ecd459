"""Time the month's mass balance and the dashboard's market figures on the data in the database,
and count their queries:

    python manage.py seed_demo                 # a year of the demo market
    python manage.py benchmark_balance --runs 5

Both run as a county user (the commerce bureau) for the last full month; the figures do not
depend on the number of transfers beyond the SQL aggregates themselves.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.selectors import officers

from ...balance import month_bounds, monthly_balance, previous_month
from ...models import Transfer
from ...selectors import market_figures


class Command(BaseCommand):
    help = "Time the month's mass balance and the dashboard's market figures (median, max)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="Timed runs of each.")

    def handle(self, *args, runs, **options):
        if runs < 1:
            raise CommandError(_("Give at least one run."))
        user = officers(role=Role.COMMERCE_ADMIN).first()
        if user is None:
            raise CommandError(_("Run create_demo_accounts first (and seed_demo for data)."))
        month = previous_month(timezone.localdate())
        start, end = month_bounds(month)
        self.stdout.write(
            _("Data: %(transfers)s transfers; month %(month)s.")
            % {"transfers": Transfer.objects.count(), "month": f"{month:%Y-%m}"}
        )
        for label, run in (
            (_("Mass balance"), lambda: monthly_balance(user=user, month=month)),
            (
                _("Market figures"),
                lambda: market_figures(user=user, start=start, end=end, today=end),
            ),
        ):
            timings = []
            for _index in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    run()
                    timings.append((time.perf_counter() - started) * 1000)
            self.stdout.write(
                _("%(label)s: median %(median).0f ms, max %(max).0f ms, %(queries)d queries.")
                % {
                    "label": label,
                    "median": statistics.median(timings),
                    "max": max(timings),
                    "queries": len(queries.captured_queries),
                }
            )
