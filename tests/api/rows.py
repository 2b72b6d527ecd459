"""Rows the API tests point at."""

from agencies.models import ProblemCategory
from assessments.choices import PeriodKind
from assessments.models import AssessmentScheme
from assessments.services import open_period
from inspections.services import FindingInput, file_inspection


def report_problems(site, inspector, *codes):
    """A patrol report on `site` with one finding (and so one case) per category code."""
    return file_inspection(
        site=site,
        inspector=inspector,
        result="problems",
        findings=[
            FindingInput(category=ProblemCategory.objects.get(code=code), description="发现问题")
            for code in codes
        ],
    )


def open_first_quarter(actor):
    """2026 Q1 under the default scheme."""
    scheme = AssessmentScheme.objects.get(code="long-term-management", version=1)
    return open_period(scheme=scheme, kind=PeriodKind.QUARTER, year=2026, quarter=1, actor=actor)
