"""The dashboards' figures (领导驾驶舱). Selectors only: each figure is one SQL aggregate over the
rows the user may see (`visible_to(user)`), so a dashboard runs the same number of queries
however much data there is.

Which figures follow the period and which are read as of today:

- as of today: sites by tier and status, coverage and illegal points (the registry keeps each
  status change but no point-in-time status; see sites/coverage.py), open and overdue cases,
  open patrol tasks past their due date;
- in the period: cases reported and closed, the on-time closure rate, patrol tasks due and done,
  cases by category and by lead agency, and the year whose coverage target applies;
- the trend: the twelve months that end with the period.

A leader, assessor or the commerce bureau sees the county; township staff their township (the
scoping of `visible_to`); an agency officer only the cases routed to their agency (lead or
assisting), and none of the registry's figures.

One module a concern (scope, sites, cases, patrols, assessment, headlines); every name is
importable from here as before.
"""

from .assessment import AssessmentRanking, RankingEntry, latest_assessment_ranking
from .cases import (
    COUNTED,
    TOWNSHIP_LEADS,
    CaseFigures,
    CaseGroup,
    MonthTrend,
    case_counts,
    case_figures,
    cases_by_category,
    cases_by_lead_agency,
    monthly_trend,
)
from .headlines import Dashboard, Headlines, dashboard_data, dashboard_headlines
from .patrols import PatrolFigures, patrol_figures
from .scope import Scope, dashboard_scope
from .sites import (
    CoverageFigures,
    SiteFigures,
    StatusCount,
    TierCount,
    TierStatuses,
    TownshipSites,
    coverage_figures,
    site_figures,
)

__all__ = [
    "COUNTED",
    "TOWNSHIP_LEADS",
    "AssessmentRanking",
    "CaseFigures",
    "CaseGroup",
    "CoverageFigures",
    "Dashboard",
    "Headlines",
    "MonthTrend",
    "PatrolFigures",
    "RankingEntry",
    "Scope",
    "SiteFigures",
    "StatusCount",
    "TierCount",
    "TierStatuses",
    "TownshipSites",
    "case_counts",
    "case_figures",
    "cases_by_category",
    "cases_by_lead_agency",
    "coverage_figures",
    "dashboard_data",
    "dashboard_headlines",
    "dashboard_scope",
    "latest_assessment_ranking",
    "monthly_trend",
    "patrol_figures",
    "site_figures",
]
