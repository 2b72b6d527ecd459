from .views import (
    ActionItemViewSet,
    AgencyViewSet,
    DutyRuleViewSet,
    MeetingViewSet,
    ProblemCategoryViewSet,
    TownshipViewSet,
    VillageViewSet,
)

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [
    ("townships", TownshipViewSet, "township"),
    ("villages", VillageViewSet, "village"),
    ("agencies", AgencyViewSet, "agency"),
    ("problem-categories", ProblemCategoryViewSet, "problemcategory"),
    ("duty-rules", DutyRuleViewSet, "dutyrule"),
    ("meetings", MeetingViewSet, "meeting"),
    ("action-items", ActionItemViewSet, "actionitem"),
]
