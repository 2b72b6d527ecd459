from django.urls import path

from .coverage import CoverageView, UnservedVillagesGeoJSON
from .views import OperatorViewSet, SiteViewSet

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [
    ("operators", OperatorViewSet, "operator"),
    ("sites", SiteViewSet, "site"),
]

# Plain API paths (not viewsets), included under /api/v1/.
paths = [
    path("coverage/", CoverageView.as_view(), name="coverage"),
    path(
        "coverage/unserved-villages/",
        UnservedVillagesGeoJSON.as_view(),
        name="coverage-unserved-villages",
    ),
]
