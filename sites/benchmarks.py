"""The registry's paths for `manage.py benchmark` (and `benchmark_import`): the roster import
of a generated workbook against a plain bulk_create of the same rows, and the site roster
export against bare openpyxl writing the same rows. Everything is rolled back."""

import io
import random
import tempfile
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.access import is_county_admin
from accounts.models import User
from agencies.models import Township, Village
from anji_recycling.benchmarking import Row, alternate, timed
from anji_recycling.validators import credit_code_check_character
from anji_recycling.xlsx import SheetWriter, new_workbook, save_workbook

from . import imports, selectors
from .choices import OperatorKind, SiteStatus, SiteTier, VenueType
from .exports import (
    OPERATOR_COLUMNS,
    SITE_COLUMNS,
    operator_sheet_title,
    site_rows,
    site_sheet_title,
    write_roster,
)
from .models import BackgroundJob, Material, Operator, Site
from .services import register_site

BENCHMARK_USERNAME = "benchmark_import"


class BenchmarkError(Exception):
    pass


def benchmark_actor(username=None):
    """The county administrator named, or a temporary superuser (rolled back with the rest)."""
    if username:
        actor = User.objects.filter(username=username).first()
        if actor is None or not is_county_admin(actor):
            raise BenchmarkError(_("%(name)s is not a county administrator.") % {"name": username})
        return actor
    actor, _created = User.objects.get_or_create(
        username=BENCHMARK_USERNAME, defaults={"is_superuser": True, "is_active": True}
    )
    return actor


def benchmark_stations(actor) -> dict:
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


def write_workbook(path, *, sites, operators, stations, seed):
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


def _rolled_back(function):
    """Time `function` inside a savepoint that is rolled back afterwards."""
    savepoint = transaction.savepoint()
    try:
        return timed(function)
    finally:
        transaction.savepoint_rollback(savepoint)


def _copy(instance):
    """An unsaved copy of a model instance's own columns."""
    model = type(instance)
    return model(
        **{
            field.attname: getattr(instance, field.attname)
            for field in model._meta.concrete_fields
            if not field.primary_key
        }
    )


def _plain_bulk_create(result):
    """The anchor: the checked rows written with plain bulk_create, no history, no rules."""
    operators = {plan.instance.credit_code: _copy(plan.instance) for plan in result.operators}
    sites = []
    for number, plan in enumerate(result.sites):
        site = _copy(plan.instance)
        site.code = f"BENCHMARK-{number:06d}"
        sites.append((site, plan.operator.credit_code if plan.operator else None, plan))
    through = Site.materials.through

    def write():
        Operator.objects.bulk_create(operators.values(), batch_size=1000)
        for site, code, _plan in sites:
            if code:
                site.operator_id = operators[code].pk
        Site.objects.bulk_create([site for site, _code, _plan in sites], batch_size=1000)
        through.objects.bulk_create(
            [
                through(site_id=site.pk, material_id=getattr(material, "pk", material))
                for site, _code, plan in sites
                for material in plan.materials or ()
            ],
            batch_size=1000,
        )

    return write


def import_path(*, rows: int, runs: int, username=None, seed: int = 2026) -> Row:
    """Check and write a workbook of `rows` collection points (and one operator per ten)
    through the import, against a plain bulk_create of the same checked rows."""
    with tempfile.TemporaryDirectory() as directory, transaction.atomic():
        actor = benchmark_actor(username)
        stations = benchmark_stations(actor)
        path = Path(directory) / "benchmark.xlsx"
        write_workbook(path, sites=rows, operators=max(rows // 10, 1), stations=stations, seed=seed)
        with path.open("rb") as handle:
            checked = imports.parse_and_check(handle, user=actor)
        if checked.problems:
            raise BenchmarkError("; ".join(str(problem) for problem in checked.problems[:5]))

        def project():
            def check_and_write():
                with path.open("rb") as handle:
                    result = imports.parse_and_check(handle, user=actor)
                imports.apply_import(result, actor=actor)

            return _rolled_back(check_and_write)

        def anchor():
            return _rolled_back(_plain_bulk_create(checked))

        mine, plain = alternate(project, anchor, runs=runs)
        transaction.set_rollback(True)
    return Row(
        path=f"validated import, {checked.rows:,} rows with history (check + write)",
        project=mine,
        anchor=plain,
        unit="s",
        anchor_name="plain bulk_create of the same rows",
        target="≤ 15 s",
    )


def export_path(*, runs: int, username=None) -> Row:
    """The site roster of every site as the county administrator exports it, against bare
    openpyxl (write-only) writing the same values; rows per second."""
    with transaction.atomic():
        actor = benchmark_actor(username)
        queryset = selectors.sites_for_list(user=actor)
        values = list(site_rows(queryset))
        count = len(values)

        def project():
            def write():
                workbook = new_workbook()
                write_roster(workbook, kind=BackgroundJob.Kind.SITE_EXPORT, queryset=queryset)
                save_workbook(workbook, io.BytesIO())

            return count / timed(write)

        def anchor():
            def write():
                workbook = Workbook(write_only=True)
                sheet = workbook.create_sheet()
                sheet.append([column.header for column in SITE_COLUMNS])
                for row in values:
                    sheet.append(row)
                workbook.save(io.BytesIO())

            return count / timed(write)

        mine, bare = alternate(project, anchor, runs=runs)
        transaction.set_rollback(True)
    return Row(
        path=f"site roster xlsx, {count:,} rows",
        project=mine,
        anchor=bare,
        unit="rows/s",
        anchor_name="bare openpyxl write-only, values ready",
        target="≥ 0.8×",
    )
