"""Time the roster import on a generated workbook: the check (dry run) and the writing.

    python manage.py benchmark_import --rows 5000

Everything happens in one transaction that is rolled back at the end unless --keep is given.
"""

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from ... import imports
from ...benchmarks import BenchmarkError, benchmark_actor, benchmark_stations, write_workbook


class Command(BaseCommand):
    help = "Time the roster import's check and writing on a generated workbook of N sites."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000, help="Sites in the workbook.")
        parser.add_argument(
            "--operators", type=int, help="Operators in the workbook (default: one per ten sites)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random data.")
        parser.add_argument(
            "--username", help="Import as this county administrator (default: a temporary one)."
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the imported rows instead of rolling back."
        )

    def handle(self, *args, rows, operators, seed, username, keep, **options):
        if rows < 1:
            raise CommandError(_("Give at least one row."))
        operators = operators or max(rows // 10, 1)
        with tempfile.TemporaryDirectory() as directory, transaction.atomic():
            try:
                actor = benchmark_actor(username)
            except BenchmarkError as error:
                raise CommandError(str(error)) from error
            stations = benchmark_stations(actor)
            path = Path(directory) / "benchmark.xlsx"
            started = time.perf_counter()
            write_workbook(path, sites=rows, operators=operators, stations=stations, seed=seed)
            self._report(_("Workbook written"), rows + operators, time.perf_counter() - started)

            started = time.perf_counter()
            with path.open("rb") as handle:
                result = imports.parse_and_check(handle, user=actor)
            self._report(_("Check (dry run)"), result.rows, time.perf_counter() - started)
            if result.problems:
                for problem in result.problems[:10]:
                    self.stderr.write(str(problem))
                raise CommandError(_("The generated workbook has problems."))

            started = time.perf_counter()
            counts = imports.apply_import(result, actor=actor)
            self._report(_("Import (writing)"), result.rows, time.perf_counter() - started)
            for label, sheet in ((_("Operators"), "operators"), (_("Sites"), "sites")):
                self.stdout.write(
                    _(
                        "%(sheet)s: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % {"sheet": label, **counts[sheet]}
                )
            if keep:
                self.stdout.write(self.style.SUCCESS(_("The imported rows are kept.")))
            else:
                transaction.set_rollback(True)
                self.stdout.write(
                    self.style.SUCCESS(_("Rolled back: nothing is kept (--keep keeps the rows)."))
                )

    def _report(self, label, rows, seconds):
        self.stdout.write(
            _("%(label)s: %(rows)s rows in %(seconds).2f s, %(rate).0f rows/s")
            % {"label": label, "rows": rows, "seconds": seconds, "rate": rows / seconds}
        )
