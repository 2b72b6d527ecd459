"""Computing a period: weighted totals, competition ranking with ties, grades from the bands,
history, the Celery run with its progress, and a query count that does not grow with data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessments.choices import IndicatorKind, PeriodKind, PeriodStatus, RunState
from assessments.models import AssessmentScheme, IndicatorScore, TownshipResult
from assessments.services import (
    BandInput,
    IndicatorInput,
    competition_ranks,
    compute_period,
    grade_for,
    open_period,
    record_deduction,
    save_scheme,
    start_computation,
)
from inspections.choices import PatrolTaskStatus
from tests.conftest import CHANGSHUO, DIPU

from .conftest import XILONG, case_row, indicator, patrol_task, points, site_on

pytestmark = pytest.mark.django_db

JAN = dt.date(2026, 1, 10)


def results(period) -> dict[str, TownshipResult]:
    return {
        r.township.code: r
        for r in TownshipResult.objects.filter(period=period).select_related("township")
    }


def test_competition_ranking_shares_ranks_on_ties():
    totals = {1: Decimal(90), 2: Decimal(80), 3: Decimal(80), 4: Decimal(70)}
    assert competition_ranks(totals) == {1: 1, 2: 2, 3: 2, 4: 4}


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.99", "良好"),
        ("80", "良好"),
        ("60", "合格"),
        ("59.99", "不合格"),
        ("0", "不合格"),
    ],
)
def test_grade_comes_from_the_scheme_bands(scheme, total, grade):
    assert grade_for(Decimal(total), scheme.grade_bands.all()) == grade


def test_totals_ranks_and_grades_for_the_county(q1, commerce_admin, assessor, after_q1):
    """With no data, every township scores 70 (coverage 0 and transfer station 0 of their 30;
    everything else full marks). 溪龙乡 gets an operating station: 80, first. 递铺街道 gets
    10 points of deductions: 60, last. The other 13 share rank 2 at 70."""
    site_on(JAN, actor=commerce_admin, township_code=XILONG, tier=2)
    from agencies.models import Township

    dipu = Township.objects.get(code=DIPU)
    record_deduction(
        period=q1,
        township=dipu,
        indicator=indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal(10),
        reason="现场检查问题较多",
        actor=assessor,
    )

    compute_period(period=q1, actor=commerce_admin)

    by_code = results(q1)
    assert len(by_code) == 15
    assert (by_code[XILONG].total, by_code[XILONG].rank, by_code[XILONG].grade) == (
        points(80),
        1,
        "良好",
    )
    assert (by_code[DIPU].total, by_code[DIPU].rank, by_code[DIPU].grade) == (
        points(60),
        15,
        "合格",
    )
    others = [r for code, r in by_code.items() if code not in (XILONG, DIPU)]
    assert {(r.total, r.rank, r.grade) for r in others} == {(points(70), 2, "合格")}
    q1.refresh_from_db()
    assert q1.status == PeriodStatus.COMPUTED
    assert IndicatorScore.objects.filter(period=q1).count() == 15 * 7


def test_weight_scales_the_indicator_points_into_the_total(commerce_admin, assessor, after_q1):
    """An indicator scored out of 10 that weighs 40 in a total of 100: 5 raw points of 10 are
    20 weighted points; a 60-weight indicator at full marks gives 60. Total 80."""
    scheme = save_scheme(
        scheme=AssessmentScheme(code="weights", name="权重测试", total_points=Decimal(100)),
        indicators=[
            IndicatorInput(
                kind=IndicatorKind.ASSESSOR_DEDUCTIONS,
                name="检查",
                weight=Decimal(40),
                max_points=Decimal(10),
            ),
            IndicatorInput(
                kind=IndicatorKind.CASES_ON_TIME,
                name="按期结案",
                weight=Decimal(60),
                max_points=Decimal(20),
            ),
        ],
        bands=[BandInput(name="合格", min_score=Decimal(60))],
        actor=commerce_admin,
    )
    period = open_period(
        scheme=scheme, kind=PeriodKind.YEAR, year=2026, quarter=None, actor=commerce_admin
    )
    from agencies.models import Township

    xilong = Township.objects.get(code=XILONG)
    record_deduction(
        period=period,
        township=xilong,
        indicator=scheme.indicators.get(kind=IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal(5),
        reason="扣分",
        actor=assessor,
    )

    compute_period(period=period, actor=commerce_admin)

    score = IndicatorScore.objects.get(
        period=period, township=xilong, indicator__kind=IndicatorKind.ASSESSOR_DEDUCTIONS
    )
    assert (score.raw_points, score.weighted_points) == (points(5), points(20))
    assert results(period)[XILONG].total == points(80)


def test_computing_records_history_with_who(q1, commerce_admin, after_q1):
    compute_period(period=q1, actor=commerce_admin)
    compute_period(period=q1, actor=commerce_admin)

    result = TownshipResult.objects.filter(period=q1).first()
    assert result.history.count() == 2
    assert {h.history_user for h in result.history.all()} == {commerce_admin}
    score = IndicatorScore.objects.filter(period=q1).first()
    assert score.history.count() == 2


def test_only_the_commerce_bureau_computes(q1, assessor):
    with pytest.raises(PermissionDenied):
        compute_period(period=q1, actor=assessor)


def test_computation_runs_in_celery_and_reports_progress(
    q1, commerce_admin, after_q1, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = start_computation(period=q1, actor=commerce_admin)

    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert (run.done, run.total) == (8, 8)
    assert run.percent == 100
    assert TownshipResult.objects.filter(period=q1).count() == 15


def _add_data(commerce_admin, n):
    """n of everything the indicators count, in three townships."""
    for code in (XILONG, DIPU, CHANGSHUO):
        for _ in range(n):
            site = site_on(JAN, actor=commerce_admin, township_code=code)
            site_on(JAN, actor=commerce_admin, township_code=code, status="illegal")
            patrol_task(site=site, due_on=dt.date(2026, 2, 28), status=PatrolTaskStatus.DONE)
            case_row(site=site, reporter=commerce_admin, handling_deadline=dt.date(2026, 2, 2))


@pytest.mark.parametrize("n", [1, 4])
def test_computing_a_period_runs_a_fixed_number_of_queries(
    q1, commerce_admin, after_q1, n, django_assert_max_num_queries
):
    _add_data(commerce_admin, n)
    compute_period(period=q1, actor=commerce_admin)  # first run creates the rows
    with django_assert_max_num_queries(22):
        compute_period(period=q1, actor=commerce_admin)


def test_the_first_computation_also_runs_a_fixed_number_of_queries(
    q1, commerce_admin, after_q1, django_assert_max_num_queries
):
    _add_data(commerce_admin, 3)
    with django_assert_max_num_queries(24):
        compute_period(period=q1, actor=commerce_admin)


def test_a_run_delivered_twice_computes_once(q1, commerce_admin, after_q1):
    from assessments.models import ComputationRun
    from assessments.services import run_computation

    run = ComputationRun.objects.create(period=q1, started_by=commerce_admin, total=8)
    run_computation(run_id=run.pk)
    run_computation(run_id=run.pk)

    assert TownshipResult.objects.get(period=q1, township__code=XILONG).history.count() == 1


def test_a_waiting_run_is_reused_and_a_lost_one_queued_again(
    q1, commerce_admin, time_machine, django_capture_on_commit_callbacks, monkeypatch
):
    from assessments import tasks

    sent = []
    monkeypatch.setattr(tasks.compute_period_task, "delay", lambda **kw: sent.append(kw))
    time_machine.move_to(dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = start_computation(period=q1, actor=commerce_admin)
        again = start_computation(period=q1, actor=commerce_admin)
    time_machine.move_to(dt.datetime(2026, 4, 10, 2, 10, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        later = start_computation(period=q1, actor=commerce_admin)

    assert first == again == later
    assert sent == [{"run_id": first.pk}, {"run_id": first.pk}]


def test_a_run_whose_message_was_lost_is_queued_again_by_the_sweep(
    q1, commerce_admin, time_machine, django_capture_on_commit_callbacks, monkeypatch
):
    """Redis was down when the computation was started: the periodic sweep queues it once
    Redis is back (eager in tests: it computes then)."""
    from kombu.exceptions import OperationalError

    from assessments import tasks
    from assessments.services import requeue_waiting_runs

    def broker_refuses(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    time_machine.move_to(dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC), tick=False)
    monkeypatch.setattr(tasks.compute_period_task, "delay", broker_refuses)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_computation(period=q1, actor=commerce_admin)
    monkeypatch.undo()
    run.refresh_from_db()
    assert run.state == RunState.PENDING

    soon = dt.datetime(2026, 4, 10, 2, 1, tzinfo=dt.UTC)
    assert requeue_waiting_runs(now=soon) == {"queued": 0, "failed": 0}
    later = dt.datetime(2026, 4, 10, 2, 5, tzinfo=dt.UTC)
    assert requeue_waiting_runs(now=later) == {"queued": 1, "failed": 0}
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert requeue_waiting_runs(now=later) == {"queued": 0, "failed": 0}
