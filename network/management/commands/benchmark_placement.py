"""Time the placement suggestions: on the database's villages (217 for Anji) and on a synthetic
county of N villages (default 20,000, 100× Anji) with operating points and stations scattered
over Anji's extent, in memory:

    python manage.py benchmark_placement
    python manage.py benchmark_placement --villages 20000 --points 2000 --stations 150 --runs 3

Not a test: the figures depend on the machine (README, "Placement suggestions")."""

import random
import statistics
import time
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Role
from accounts.models import User

from ...placement import build_report
from ...selectors import placement_suggestions

SOUTH, NORTH, WEST, EAST = 30.2, 30.9, 119.2, 119.9


def _scatter(rng, n, *, scale=1):
    """n places over Anji's extent times `scale` in each direction, in 15 townships laid out
    as 5 × 3 blocks (a township is one piece of land, as in the county)."""
    townships = {}
    rows = []
    for i in range(n):
        lat = SOUTH + rng.random() * (NORTH - SOUTH) * scale
        lng = WEST + rng.random() * (EAST - WEST) * scale
        block = (
            int((lat - SOUTH) / ((NORTH - SOUTH) * scale) * 3),
            int((lng - WEST) / ((EAST - WEST) * scale) * 5),
        )
        township = townships.setdefault(
            block, SimpleNamespace(pk=len(townships), name=f"T{len(townships)}")
        )
        rows.append(
            SimpleNamespace(
                pk=i,
                name=f"V{i}",
                short_name=f"V{i}",
                code=f"{i:012d}",
                latitude=Decimal(f"{lat:.6f}"),
                longitude=Decimal(f"{lng:.6f}"),
                township=township,
                township_id=township.pk,
            )
        )
    return rows


class Command(BaseCommand):
    help = "Time the placement suggestions on the database and on a synthetic county."

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=20000)
        parser.add_argument("--points", type=int, default=2000)
        parser.add_argument("--stations", type=int, default=150)
        parser.add_argument("--radius", type=float, default=settings.NETWORK_PLACEMENT_RADIUS_KM)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--spread",
            type=int,
            default=1,
            help="Spread the synthetic county over this many times Anji's extent in each "
            "direction (1: all in Anji's extent, the densest case; 10: Anji's density).",
        )

    def handle(self, *args, villages, points, stations, radius, runs, seed, spread, **options):
        if runs < 1 or villages < 1:
            raise CommandError("Give at least one run and one village.")
        user = User.objects.filter(role=Role.COMMERCE_ADMIN, is_active=True).first()
        if user is not None:
            timings = []
            for _run in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    report = placement_suggestions(user=user, radius_km=radius)
                    timings.append(time.perf_counter() - started)
            self.stdout.write(
                f"database: {len(report.gaps)} unserved villages "
                f"({len(report.located)} with a position), {len(report.clusters)} suggestions, "
                f"{len(queries)} queries; median {statistics.median(timings) * 1000:.1f} ms, "
                f"max {max(timings) * 1000:.1f} ms"
            )
        rng = random.Random(seed)
        rows = _scatter(rng, villages, scale=spread)
        point_rows = _scatter(rng, points, scale=spread)
        station_rows = _scatter(rng, stations, scale=spread)
        timings = []
        for _run in range(runs):
            started = time.perf_counter()
            report = build_report(
                villages=rows, points=point_rows, stations=station_rows, radius_km=radius
            )
            timings.append(time.perf_counter() - started)
        self.stdout.write(
            f"synthetic ({spread}× Anji's extent each way): {villages} villages, {points} "
            f"points, {stations} stations, radius "
            f"{radius} km: {len(report.clusters)} suggestions; median "
            f"{statistics.median(timings):.2f} s, max {max(timings):.2f} s"
        )
