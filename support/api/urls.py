from .views import LandSupportViewSet, SubsidyViewSet

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [
    ("subsidies", SubsidyViewSet, "subsidy"),
    ("land-support-cases", LandSupportViewSet, "land-support-case"),
]
