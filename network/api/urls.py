from django.urls import path

from .views import ProjectViewSet, SuggestionsGeoJSON

# (prefix, viewset, basename) registered on the portal's one API router.
routes = [("network-projects", ProjectViewSet, "networkproject")]

paths = [
    path("network/suggestions/geojson/", SuggestionsGeoJSON.as_view(), name="network-suggestions"),
]
