"""`seed_demo --scale N`: synthetic data at N times Anji's size, in bulk (here with smaller units
so that the test is quick), that the dashboard reads like real data."""

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.db.models import Count

from inspections import synthetic
from inspections.choices import OPEN_STATUSES
from inspections.models import Case, CaseSequence, Inspection, PatrolTask
from sites.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_units(monkeypatch):
    monkeypatch.setattr(synthetic, "POINTS_PER_TOWNSHIP", 3)
    monkeypatch.setattr(synthetic, "REPORTS", 400)


def test_scale_writes_sites_reports_and_routed_cases(small_units, commerce_admin):
    counts = synthetic.seed_at_scale(
        scale=2, actor=commerce_admin, rng=random.Random(1), today=dt.date(2026, 5, 20), log=str
    )

    assert counts.sites == Site.objects.count() == 2 * 15 * (1 + 3 + 1)
    assert counts.inspections == Inspection.objects.count() == 800
    assert counts.cases == Case.objects.count() > 50
    assert counts.patrol_tasks == PatrolTask.objects.count() > 0
    assert not Case.objects.filter(duty_rule=None).exists()
    open_twice = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .values("site", "category")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not open_twice.exists()
    assert Case.objects.filter(status="closed", closed_on_time=False).exists()
    last = CaseSequence.objects.get(year=2026).last
    assert Case.objects.filter(number=f"AJ2026{last:06d}").exists()
    assert Site.history.count() == counts.sites


def test_the_command_reports_what_it_wrote(small_units, commerce_admin, capsys):
    call_command("seed_demo", "--scale", "1")

    assert "75" in capsys.readouterr().out  # 15 × (1 + 3 + 1) sites


def test_the_benchmark_prints_timings_and_query_counts_and_keeps_nothing(county, capsys):
    from accounts.models import User

    users = User.objects.count()

    call_command("benchmark_dashboard", "--runs", "2")

    out = capsys.readouterr().out
    assert "json" in out and "page" in out
    assert "mkt-cold" in out and "mkt-data" in out
    assert "JSON p95" in out
    assert User.objects.count() == users
