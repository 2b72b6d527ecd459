"""Time the roster import on a generated workbook: the check (dry run) and the writing.

    python manage.py benchmark_import --rows 5000

Everything happens in one transaction that is rolled back at the end unless --keep is given.
"""

import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import is_county_admin
from accounts.models import User
from agencies.models import Township, Village
from anji_recycling.validators import credit_code_check_character
from anji_recycling.xlsx import SheetWriter, new_workbook, save_workbook

from ... import imports
from ...choices import OperatorKind, SiteStatus, SiteTier, VenueType
from ...exports import OPERATOR_COLUMNS, SITE_COLUMNS, operator_sheet_title, site_sheet_title
from ...models import Material, Site
from ...services import register_site

BENCHMARK_USERNAME = "benchmark_import"


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
            actor = self._actor(username)
            stations = self._stations(actor)
            path = Path(directory) / "benchmark.xlsx"
            started = time.perf_counter()
            _write_workbook(path, sites=rows, operators=operators, stations=stations, seed=seed)
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

    def _actor(self, username):
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None or not is_county_admin(actor):
                raise CommandError(
                    _("%(name)s is not a county administrator.") % {"name": username}
                )
            return actor
        actor, _created = User.objects.get_or_create(
            username=BENCHMARK_USERNAME, defaults={"is_superuser": True, "is_active": True}
        )
        return actor

    def _stations(self, actor):
        """One transfer station per township for the collection points to deliver to."""
        stations = {}
        for township in Township.objects.all():
            station = (
                Site.objects.filter(township=township, tier=SiteTier.TRANSFER_STATION)
                .order_by("code")
                .first()
            )
            if station is None:
                station = register_site(
                    site=Site(
                        name=f"{township.name}中转分拣站",
                        tier=SiteTier.TRANSFER_STATION,
                        status=SiteStatus.OPERATING,
                        township=township,
                        address=f"{township.name}",
                    ),
                    actor=actor,
                )
            stations[township.pk] = station.code
        return stations


def _write_workbook(path, *, sites, operators, stations, seed):
    """A valid workbook: operators spread over the townships, collection points spread over the
    real villages, each delivering to its township's station."""
    generator = random.Random(seed)
    tag = f"{generator.randrange(10000):04d}"
    townships = list(Township.objects.all())
    villages = list(Village.objects.filter(is_active=True).select_related("township"))
    materials = list(Material.objects.values_list("name", flat=True))
    workbook = new_workbook()

    operator_sheet = SheetWriter(
        workbook, operator_sheet_title(), widths=[column.width for column in OPERATOR_COLUMNS]
    )
    operator_sheet.header([column.header for column in OPERATOR_COLUMNS])
    codes = []
    for number in range(operators):
        first17 = f"91330523{tag}{number:05d}"
        code = first17 + credit_code_check_character(first17)
        codes.append(code)
        township = townships[number % len(townships)]
        values = {
            "name": f"安吉基准再生资源回收有限公司{tag}-{number:05d}",
            "kind": str(OperatorKind.ENTERPRISE.label),
            "credit_code": code,
            "legal_representative": "王五",
            "contact_phone": f"139{generator.randrange(10**8):08d}",
            "township": township.name,
            "address": f"{township.name}工业园{number}号",
            "licence_issued_on": "2025-03-01",
            "filed_on": "2025-03-20",
        }
        operator_sheet.row([values.get(column.key) for column in OPERATOR_COLUMNS])

    site_sheet = SheetWriter(
        workbook, site_sheet_title(), widths=[column.width for column in SITE_COLUMNS]
    )
    site_sheet.header([column.header for column in SITE_COLUMNS])
    venue_types = [str(label) for _value, label in VenueType.choices]
    for number in range(sites):
        village = villages[number % len(villages)]
        values = {
            "name": f"{village.short_name}回收点{tag}-{number:05d}",
            "tier": str(SiteTier.COLLECTION_POINT.label),
            "status": str(SiteStatus.OPERATING.label),
            "township": village.township.name,
            "village": village.short_name,
            "venue_type": venue_types[number % len(venue_types)],
            "address": f"{village.township.name}{village.short_name}{number}号",
            "latitude": Decimal(f"{generator.uniform(30.45, 30.8):.6f}"),
            "longitude": Decimal(f"{generator.uniform(119.45, 119.85):.6f}"),
            "operator_credit_code": codes[number % len(codes)],
            "parent_code": stations[village.township_id],
            "materials": "、".join(generator.sample(materials, generator.randint(1, 3))),
            "floor_area": Decimal(f"{generator.uniform(10, 200):.1f}"),
            "daily_capacity": Decimal(f"{generator.uniform(0.5, 5):.2f}"),
            "dual_use": _("Yes") if number % 3 == 0 else _("No"),
            "contact_name": "李四",
            "contact_phone": f"138{generator.randrange(10**8):08d}",
        }
        site_sheet.row([values.get(column.key) for column in SITE_COLUMNS])
    with path.open("wb") as handle:
        save_workbook(workbook, handle)
