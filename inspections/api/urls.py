from .views import CaseRequestViewSet, CaseViewSet, EnforcementActionViewSet, InspectionViewSet

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [
    ("inspections", InspectionViewSet, "inspection"),
    ("cases", CaseViewSet, "case"),
    ("case-requests", CaseRequestViewSet, "caserequest"),
    ("enforcement-actions", EnforcementActionViewSet, "enforcementaction"),
]
