"""Putting a point project into operation serves its village: coverage moves."""

import datetime as dt
from decimal import Decimal

import pytest

from network.selectors import network_progress
from network.services import advance_project
from sites.coverage import coverage_for_year
from tests.network.conftest import make_project

pytestmark = pytest.mark.django_db


def test_coverage_moves_when_a_project_goes_into_operation(commerce_admin, dipu, dipu_village):
    def dipu_row():
        report = coverage_for_year(user=commerce_admin, year=2025)
        return next(row for row in report.townships if row.township == dipu)

    before = dipu_row().served_village_count
    project = make_project(
        actor=commerce_admin,
        township=dipu,
        village=dipu_village,
        latitude=Decimal("30.63"),
        longitude=Decimal("119.68"),
        planned_operation_on=dt.date(2025, 6, 30),
    )
    progress = network_progress(user=commerce_admin, target_year=2025, township=dipu)
    row = progress.townships[0]
    assert row.open_points_in_unserved_villages == 1
    assert row.gap_after_projects == row.unserved_village_count - 1

    for on in [dt.date(2024, 5, 1), dt.date(2024, 7, 1), dt.date(2025, 3, 1)]:
        project = advance_project(project=project, actor=commerce_admin, on=on)
        assert dipu_row().served_village_count == before
    advance_project(project=project, actor=commerce_admin, on=dt.date(2025, 4, 1))

    assert dipu_row().served_village_count == before + 1
    row = network_progress(user=commerce_admin, target_year=2025, township=dipu).townships[0]
    assert (row.operating_count, row.open_points_in_unserved_villages) == (1, 0)
    assert row.served_village_count == before + 1


def test_a_project_past_its_planned_date_is_late(commerce_admin, dipu, time_machine):
    time_machine.move_to(dt.datetime(2025, 8, 1, 12, tzinfo=dt.UTC))
    make_project(actor=commerce_admin, township=dipu, planned_approval_on=dt.date(2025, 7, 1))
    make_project(actor=commerce_admin, township=dipu, planned_approval_on=dt.date(2025, 9, 1))
    row = network_progress(user=commerce_admin, target_year=2025, township=dipu).townships[0]
    assert (row.project_count, row.late_count) == (2, 1)
