"""The whole dashboard: the headlines at the top of the page and the charts' data."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from inspections.joint import JointInspectionFigures, joint_inspection_figures
from network.selectors import NetworkProgress, network_progress
from sites.coverage import coverage_for_year
from trade.balance import OpenFlagFigures, open_flag_figures
from trade.selectors import MarketFigures, market_figures

from ..periods import Period
from .assessment import AssessmentRanking, latest_assessment_ranking
from .cases import (
    CaseFigures,
    CaseGroup,
    MonthTrend,
    case_counts,
    case_figures,
    cases_by_category,
    cases_by_lead_agency,
    monthly_trend,
)
from .patrols import PatrolFigures, patrol_figures
from .scope import Scope, dashboard_scope
from .sites import CoverageFigures, SiteFigures, coverage_figures, site_figures


@dataclass(frozen=True)
class Headlines:
    """What the page shows at the top, in a fixed number of queries."""

    scope: Scope
    period: Period
    today: dt.date
    cases: CaseFigures
    sites: SiteFigures | None = None
    coverage: CoverageFigures | None = None
    patrols: PatrolFigures | None = None
    assessment: AssessmentRanking | None = None
    market: MarketFigures | None = None
    balance_flags: OpenFlagFigures | None = None
    network: NetworkProgress | None = None
    joint_inspections: JointInspectionFigures | None = None  # an agency's dashboard only


@dataclass(frozen=True)
class Dashboard:
    """The headlines and the charts' data: what the JSON endpoint returns."""

    headlines: Headlines
    cases_by_category: list[CaseGroup]
    cases_by_lead_agency: list[CaseGroup]
    trend: list[MonthTrend]


def dashboard_headlines(
    *, user, period: Period, today: dt.date | None = None, case_rows: list[dict] | None = None
) -> Headlines:
    """The page's figures. Queries: the scope's township or agency (one, for those dashboards)
    and the cases (one); for the county and township dashboards also coverage (two), sites
    (one), patrols (one), the open balance flags (one) and the assessment ranking (the
    assessments app's). `case_rows`: the `case_counts` already read, if any."""
    today = today or timezone.localdate()
    scope = dashboard_scope(user=user)
    if case_rows is None:
        case_rows = case_counts(user=user, period=period, today=today)
    cases = case_figures(case_rows, period=period)
    if not scope.shows_registry:
        # The joint inspections the agency was at count for it as for every agency present.
        attended = joint_inspection_figures(
            agency_id=scope.agency.pk, start_at=period.start_at, end_at=period.end_at
        )
        return Headlines(
            scope=scope, period=period, today=today, cases=cases, joint_inspections=attended
        )
    report = coverage_for_year(user=user, year=period.year)
    return Headlines(
        scope=scope,
        period=period,
        today=today,
        cases=cases,
        sites=site_figures(user=user, townships=[row.township for row in report.townships]),
        coverage=coverage_figures(report),
        patrols=patrol_figures(user=user, period=period, today=today),
        assessment=latest_assessment_ranking(user=user),
        market=market_figures(user=user, start=period.start, end=period.end, today=today),
        balance_flags=open_flag_figures(user=user, today=today),
        network=network_progress(
            user=user, target_year=settings.NETWORK_TARGET_YEAR, coverage=report
        ),
    )


def dashboard_data(*, user, period: Period, today: dt.date | None = None) -> Dashboard:
    """Everything the page and its charts show: the headlines, the cases by category and by
    lead agency (from the headlines' case counts) and the monthly trend (one more GROUP BY)."""
    today = today or timezone.localdate()
    case_rows = case_counts(user=user, period=period, today=today)
    return Dashboard(
        headlines=dashboard_headlines(user=user, period=period, today=today, case_rows=case_rows),
        cases_by_category=cases_by_category(case_rows, period=period),
        cases_by_lead_agency=cases_by_lead_agency(case_rows, period=period),
        trend=monthly_trend(user=user, period=period),
    )
