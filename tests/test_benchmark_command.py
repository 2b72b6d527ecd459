"""`manage.py benchmark`: each path beside its anchor in one table, and nothing kept (the
figures themselves are not tested: speed is measured, never asserted)."""

import datetime as dt
import random

import pytest
from django.core.management import call_command

from inspections import synthetic
from inspections.models import PatrolPlan, PatrolTask
from sites.models import Operator, Site

pytestmark = pytest.mark.django_db


def test_the_benchmark_prints_each_path_beside_its_anchor_and_keeps_nothing(
    commerce_admin, monkeypatch, capsys
):
    monkeypatch.setattr(synthetic, "POINTS_PER_TOWNSHIP", 2)
    monkeypatch.setattr(synthetic, "REPORTS", 50)
    synthetic.seed_at_scale(
        scale=1, actor=commerce_admin, rng=random.Random(1), today=dt.date(2026, 5, 20), log=str
    )
    before = (
        Site.objects.count(),
        Operator.objects.count(),
        PatrolTask.objects.count(),
        list(PatrolPlan.objects.order_by("pk").values_list("pk", "is_active")),
    )

    call_command(
        "benchmark",
        "--paths",
        "import,patrols,export",
        "--import-rows",
        "20",
        "--patrol-sites",
        "30",
        "--runs",
        "1",
    )

    out = capsys.readouterr().out
    assert "| path | project | anchor | ratio | target |" in out
    for path in ("validated import, 22 rows", "patrol generation", "site roster xlsx"):
        assert path in out
    assert "first run" in out and "second run" in out
    after = (
        Site.objects.count(),
        Operator.objects.count(),
        PatrolTask.objects.count(),
        list(PatrolPlan.objects.order_by("pk").values_list("pk", "is_active")),
    )
    assert after == before
