"""Township assessment (考核): schemes of weighted indicators, periods scored per township,
assessors' deductions with evidence, and townships' objections to them. One module a concern;
every name is importable from here as before (migrations name deduction_evidence_path here)."""

from .deductions import (
    Deduction,
    DeductionEvidence,
    DeductionQuerySet,
    Objection,
    ObjectionQuerySet,
    deduction_evidence_path,
)
from .periods import AssessmentPeriod, ComputationRun, PeriodQuerySet, quarter_bounds
from .results import IndicatorScore, OwnTownshipQuerySet, ResultQuerySet, TownshipResult
from .schemes import AssessmentScheme, GradeBand, Indicator, SchemeDataQuerySet

__all__ = [
    "AssessmentPeriod",
    "AssessmentScheme",
    "ComputationRun",
    "Deduction",
    "DeductionEvidence",
    "DeductionQuerySet",
    "GradeBand",
    "Indicator",
    "IndicatorScore",
    "Objection",
    "ObjectionQuerySet",
    "OwnTownshipQuerySet",
    "PeriodQuerySet",
    "ResultQuerySet",
    "SchemeDataQuerySet",
    "TownshipResult",
    "deduction_evidence_path",
    "quarter_bounds",
]
