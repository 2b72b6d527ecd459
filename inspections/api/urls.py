from .joint import JointActionViewSet
from .views import (
    CaseRequestViewSet,
    CaseViewSet,
    EnforcementActionViewSet,
    InspectionViewSet,
    PatrolTaskViewSet,
)

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [
    ("inspections", InspectionViewSet, "inspection"),
    ("cases", CaseViewSet, "case"),
    ("case-requests", CaseRequestViewSet, "caserequest"),
    ("enforcement-actions", EnforcementActionViewSet, "enforcementaction"),
    ("patrol-tasks", PatrolTaskViewSet, "patroltask"),
    ("joint-actions", JointActionViewSet, "jointaction"),
]
