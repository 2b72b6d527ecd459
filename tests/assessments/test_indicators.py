"""Each indicator on a small hand-built fixture in 溪龙乡 (five villages), 2026 Q1, computed on
10 April 2026. The expected points are worked out in each test's docstring."""

import datetime as dt

import pytest

from assessments.choices import IndicatorKind
from assessments.indicators import REGISTRY, compute_indicator
from assessments.services import _context, record_deduction, withdraw_deduction
from inspections.choices import CaseStatus, PatrolTaskStatus
from inspections.models import CaseRequest
from tests.conftest import DIPU

from .conftest import (
    case_row,
    change_status_on,
    indicator,
    patrol_task,
    points,
    rectification_order,
    site_on,
    verified_on,
)

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR = (dt.date(2026, m, 10) for m in (1, 2, 3, 4))


def measure(q1, kind, township):
    context = _context(q1, [township.pk])
    return compute_indicator(indicator=indicator(q1.scheme, kind), context=context)[township.pk]


def test_every_indicator_kind_has_a_computation():
    assert set(REGISTRY) == set(IndicatorKind.values)


def test_coverage_counts_villages_with_a_point_operating_at_period_end(
    q1, xilong, xilong_villages, commerce_admin, after_q1
):
    """Villages 1 and 2 have points operating since February: served. Village 3's point opened
    in April (after the end), village 4's was suspended in March, village 5's is planned.
    2 of 5 villages = 40 % of 20 points = 8.00."""
    v1, v2, v3, v4, v5 = xilong_villages
    for village in (v1, v2):
        site_on(FEB, actor=commerce_admin, township_code=xilong.code, village=village)
    site_on(APR, actor=commerce_admin, township_code=xilong.code, village=v3)
    suspended = site_on(JAN, actor=commerce_admin, township_code=xilong.code, village=v4)
    change_status_on(MAR, suspended, "suspended", actor=commerce_admin)
    site_on(JAN, actor=commerce_admin, township_code=xilong.code, village=v5, status="planned")
    # A transfer station in village 3 serves nobody: only collection points count.
    site_on(JAN, actor=commerce_admin, township_code=xilong.code, village=v3, tier=2)

    result = measure(q1, IndicatorKind.VILLAGE_COVERAGE, xilong)

    assert (result.numerator, result.denominator) == (2, 5)
    assert result.value == points(40)
    assert result.raw_points == points(8)
    assert sorted(result.evidence["counted"]) == sorted([v1.pk, v2.pk])
    assert sorted(result.evidence["not_counted"]) == sorted([v3.pk, v4.pk, v5.pk])
    assert result.evidence["model"] == "agencies.village"


def test_transfer_station_gives_full_marks_only_when_one_was_operating(
    q1, xilong, dipu, commerce_admin, after_q1
):
    """溪龙乡's station operates since January: 10 of 10. 递铺's opened in April: 0."""
    station = site_on(JAN, actor=commerce_admin, township_code=xilong.code, tier=2)
    site_on(APR, actor=commerce_admin, township_code=DIPU, tier=2)

    context = _context(q1, [xilong.pk, dipu.pk])
    result = compute_indicator(
        indicator=indicator(q1.scheme, IndicatorKind.TRANSFER_STATION), context=context
    )

    assert result[xilong.pk].raw_points == points(10)
    assert result[xilong.pk].evidence["counted"] == [station.pk]
    assert result[dipu.pk].raw_points == points(0)


def test_illegal_points_deduct_per_point_remaining_at_period_end(
    q1, xilong, commerce_admin, after_q1
):
    """Three illegal points found in January; one banned in February; one more found in April
    (after the end). Two remain: 15 − 2 × 3 = 9.00."""
    found = [
        site_on(JAN, actor=commerce_admin, township_code=xilong.code, status="illegal")
        for _ in range(3)
    ]
    change_status_on(FEB, found[0], "banned", actor=commerce_admin)
    site_on(APR, actor=commerce_admin, township_code=xilong.code, status="illegal")

    result = measure(q1, IndicatorKind.ILLEGAL_POINTS, xilong)

    assert result.numerator == 2
    assert result.raw_points == points(9)
    assert sorted(result.evidence["counted"]) == sorted([found[1].pk, found[2].pk])


def test_illegal_points_never_go_below_zero(q1, xilong, commerce_admin, after_q1):
    """Six points × 3 = 18 > 15: the indicator scores 0, not −3."""
    for _ in range(6):
        site_on(JAN, actor=commerce_admin, township_code=xilong.code, status="illegal")

    assert measure(q1, IndicatorKind.ILLEGAL_POINTS, xilong).raw_points == points(0)


def test_patrols_count_tasks_due_in_the_period_done_on_cadence(
    q1, xilong, commerce_admin, after_q1
):
    """Due in Q1: three done, one still open (overdue), one cancelled (not counted). Due in
    April or in December: outside the period. 3 of 4 = 75 % of 15 = 11.25."""
    site = site_on(JAN, actor=commerce_admin, township_code=xilong.code)
    done = [
        patrol_task(site=site, due_on=dt.date(2026, m, 28), status=PatrolTaskStatus.DONE)
        for m in (1, 2, 3)
    ]
    missed = patrol_task(site=site, due_on=dt.date(2026, 3, 31))
    patrol_task(site=site, due_on=dt.date(2026, 3, 30), status=PatrolTaskStatus.CANCELLED)
    patrol_task(site=site, due_on=dt.date(2026, 4, 30), status=PatrolTaskStatus.DONE)
    patrol_task(site=site, due_on=dt.date(2025, 12, 31))

    result = measure(q1, IndicatorKind.PATROLS_ON_CADENCE, xilong)

    assert (result.numerator, result.denominator) == (3, 4)
    assert result.raw_points == points("11.25")
    assert sorted(result.evidence["counted"]) == sorted(t.pk for t in done)
    assert result.evidence["not_counted"] == [missed.pk]


def test_patrols_not_yet_due_do_not_count_against_a_running_period(
    q1, xilong, commerce_admin, time_machine
):
    """On 10 March, a task due on 31 March is not late yet: nothing was due, full marks."""
    site = site_on(JAN, actor=commerce_admin, township_code=xilong.code)
    patrol_task(site=site, due_on=dt.date(2026, 3, 31))
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC))

    result = measure(q1, IndicatorKind.PATROLS_ON_CADENCE, xilong)

    assert result.denominator == 0
    assert result.raw_points == points(15)
    assert result.note


def test_cases_on_time_rate_leaves_out_approved_postponements(q1, xilong, commerce_admin, after_q1):
    """按期结案率 = on time / (due − postponed). Due in Q1: two closed on time, one closed
    late, one still being handled past its deadline, one postponed (approved 缓办: left
    out); one due in April and one dismissed do not count; a refused postponement does not
    leave a case out. 2 / (6 − 1) = 40 % of 20 = 8.00."""
    sites = [site_on(JAN, actor=commerce_admin, township_code=xilong.code) for _ in range(8)]

    def case(n, deadline, **kwargs):
        return case_row(
            site=sites[n], reporter=commerce_admin, handling_deadline=deadline, **kwargs
        )

    on_time = [
        case(0, dt.date(2026, 1, 20), status=CaseStatus.CLOSED, on_time=True),
        case(1, dt.date(2026, 2, 10), status=CaseStatus.CLOSED, on_time=True),
    ]
    late = case(2, dt.date(2026, 3, 5), status=CaseStatus.CLOSED, on_time=False)
    overdue = case(3, dt.date(2026, 3, 20))
    postponed = case(4, dt.date(2026, 3, 25))
    refused = case(5, dt.date(2026, 3, 26))
    case(6, dt.date(2026, 4, 15))
    case(7, dt.date(2026, 3, 2), status=CaseStatus.DISMISSED)
    for target, state in ((postponed, "approved"), (refused, "refused")):
        CaseRequest.objects.create(
            case=target,
            kind="postponement",
            days=5,
            reason="等待",
            state=state,
            requested_by=commerce_admin,
        )

    result = measure(q1, IndicatorKind.CASES_ON_TIME, xilong)

    assert (result.numerator, result.denominator) == (2, 5)
    assert result.value == points(40)
    assert result.raw_points == points(8)
    assert sorted(result.evidence["counted"]) == sorted(c.pk for c in on_time)
    assert sorted(result.evidence["not_counted"]) == sorted([late.pk, overdue.pk, refused.pk])
    assert result.evidence["excluded"] == [postponed.pk]


def test_rectifications_count_orders_due_in_the_period_verified_after_the_order(
    q1, xilong, commerce_admin, after_q1
):
    """Three orders due in Q1: one verified after the order, one never verified, one whose
    only verification came before the order. One due in April is outside.
    1 of 3 = 33.33 % of 10 = 3.33."""
    sites = [site_on(JAN, actor=commerce_admin, township_code=xilong.code) for _ in range(4)]
    cases = [
        case_row(site=site, reporter=commerce_admin, handling_deadline=dt.date(2026, 2, 1))
        for site in sites
    ]
    verified = rectification_order(
        case=cases[0],
        recorded_on=dt.date(2026, 2, 1),
        rectify_by=dt.date(2026, 2, 28),
        actor=commerce_admin,
    )
    verified_on(cases[0], dt.date(2026, 2, 25), actor=commerce_admin)
    never = rectification_order(
        case=cases[1],
        recorded_on=dt.date(2026, 2, 1),
        rectify_by=dt.date(2026, 3, 15),
        actor=commerce_admin,
    )
    before = rectification_order(
        case=cases[2],
        recorded_on=dt.date(2026, 2, 1),
        rectify_by=dt.date(2026, 3, 20),
        actor=commerce_admin,
    )
    verified_on(cases[2], dt.date(2026, 1, 5), actor=commerce_admin)
    rectification_order(
        case=cases[3],
        recorded_on=dt.date(2026, 3, 1),
        rectify_by=dt.date(2026, 4, 20),
        actor=commerce_admin,
    )

    result = measure(q1, IndicatorKind.RECTIFICATIONS_VERIFIED, xilong)

    assert (result.numerator, result.denominator) == (1, 3)
    assert result.raw_points == points("3.33")
    assert result.evidence["counted"] == [verified.pk]
    assert sorted(result.evidence["not_counted"]) == sorted([never.pk, before.pk])


def test_assessor_deductions_subtract_the_deductions_in_force(q1, xilong, assessor):
    """2.5 + 1.5 in force, 3 withdrawn: 10 − 4 = 6.00."""
    manual = indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS)
    kept = [
        record_deduction(
            period=q1,
            township=xilong,
            indicator=manual,
            points=points(p),
            reason="现场检查发现问题",
            actor=assessor,
        )
        for p in ("2.5", "1.5")
    ]
    wrong = record_deduction(
        period=q1,
        township=xilong,
        indicator=manual,
        points=points(3),
        reason="录错",
        actor=assessor,
    )
    withdraw_deduction(deduction=wrong, actor=assessor, reason="重复录入")

    result = measure(q1, IndicatorKind.ASSESSOR_DEDUCTIONS, xilong)

    assert result.value == points(4)
    assert result.raw_points == points(6)
    assert result.evidence["counted"] == [d.pk for d in kept]


def test_each_indicator_counts_in_one_query(
    q1, xilong, dipu, commerce_admin, django_assert_num_queries
):
    context = _context(q1, [xilong.pk, dipu.pk])
    for item in q1.scheme.indicators.all():
        with django_assert_num_queries(1):
            compute_indicator(indicator=item, context=context)
