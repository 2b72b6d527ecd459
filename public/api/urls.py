from django.urls import path

from .views import (
    PublicReportNearby,
    PublicSiteDetail,
    PublicSiteGeoJSON,
    PublicSiteList,
    PublicTownshipList,
    PublicVillageList,
)

# Plain API paths, included under /api/v1/ (namespace "api").
paths = [
    path("public/sites/", PublicSiteList.as_view(), name="public-site-list"),
    path("public/sites/geojson/", PublicSiteGeoJSON.as_view(), name="public-site-geojson"),
    path("public/sites/<int:pk>/", PublicSiteDetail.as_view(), name="public-site-detail"),
    path("public/townships/", PublicTownshipList.as_view(), name="public-township-list"),
    path("public/villages/", PublicVillageList.as_view(), name="public-village-list"),
    path("public/reports/nearby/", PublicReportNearby.as_view(), name="public-report-nearby"),
]
