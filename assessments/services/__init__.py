"""Every write to assessments goes through these services: schemes, periods (compute, lock,
publish, unlock), deductions and objections. Each keeps a history entry naming who and why.
One module a concern; every service is importable from here as before."""

from .checks import plain
from .computation import (
    _context,
    competition_ranks,
    compute_period,
    compute_period_task,
    grade_for,
    requeue_waiting_runs,
    run_computation,
    start_computation,
)
from .deductions import decide_objection, file_objection, record_deduction, withdraw_deduction
from .periods import (
    change_period_scheme,
    lock_period,
    open_period,
    publish_period,
    recompute_objection_deadlines,
    unlock_period,
)
from .schemes import BandInput, IndicatorInput, check_scheme, revise_scheme, save_scheme

__all__ = [
    "BandInput",
    "IndicatorInput",
    "_context",
    "change_period_scheme",
    "check_scheme",
    "competition_ranks",
    "compute_period",
    "compute_period_task",
    "decide_objection",
    "file_objection",
    "grade_for",
    "lock_period",
    "open_period",
    "plain",
    "publish_period",
    "recompute_objection_deadlines",
    "record_deduction",
    "requeue_waiting_runs",
    "revise_scheme",
    "run_computation",
    "save_scheme",
    "start_computation",
    "unlock_period",
    "withdraw_deduction",
]
