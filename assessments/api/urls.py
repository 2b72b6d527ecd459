from .views import (
    DeductionViewSet,
    ObjectionViewSet,
    PeriodViewSet,
    ResultViewSet,
    SchemeViewSet,
    ScoreViewSet,
)

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [
    ("assessment-schemes", SchemeViewSet, "assessmentscheme"),
    ("assessment-periods", PeriodViewSet, "assessmentperiod"),
    ("assessment-results", ResultViewSet, "townshipresult"),
    ("assessment-scores", ScoreViewSet, "indicatorscore"),
    ("assessment-deductions", DeductionViewSet, "deduction"),
    ("assessment-objections", ObjectionViewSet, "objection"),
]
