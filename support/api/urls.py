from .views import LandSupportViewSet, NoticeViewSet, PublicityViewSet, SubsidyViewSet

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [
    ("subsidies", SubsidyViewSet, "subsidy"),
    ("land-support-cases", LandSupportViewSet, "land-support-case"),
    ("association-notices", NoticeViewSet, "association-notice"),
    ("publicity-activities", PublicityViewSet, "publicity-activity"),
]
