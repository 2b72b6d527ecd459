from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dashboards import views as dashboard_views

from . import pwa, views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    # Pages without a <link rel="icon"> (the admin's, Swagger's) make browsers ask for this.
    path("favicon.ico", views.favicon, name="favicon"),
    # The installable web app: its manifest, and the service worker at the root (scope "/").
    path("manifest.webmanifest", pwa.manifest, name="pwa-manifest"),
    path("sw.js", pwa.service_worker, name="pwa-service-worker"),
    path("offline/", pwa.offline, name="pwa-offline"),
    path("dashboard/", include("dashboards.urls")),
    path("search/", dashboard_views.search, name="search"),
    path("accounts/", include("accounts.urls")),
    path("org/", include("agencies.urls")),
    path("sites/", include("sites.urls")),
    path("market/", include("trade.urls")),
    path("network/", include("network.urls")),
    path("support/", include("support.urls")),
    path("assessments/", include("assessments.urls")),
    path("public/", include("public.urls")),
    path("public-staff/", include("public.staff_urls")),
    path("", include("inspections.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("anji_recycling.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "anji_recycling.errors.bad_request"
handler403 = "anji_recycling.errors.permission_denied"
handler404 = "anji_recycling.errors.page_not_found"

# No route serves MEDIA_URL, not even under DEBUG: photos, evidence and rosters are streamed by
# the views that check the user's scope first (anji_recycling.views.stored_file_response).
