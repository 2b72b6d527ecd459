from .views import OperatorViewSet, SiteViewSet

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [
    ("operators", OperatorViewSet, "operator"),
    ("sites", SiteViewSet, "site"),
]

# Plain API paths (not viewsets), included under /api/v1/.
paths = []
