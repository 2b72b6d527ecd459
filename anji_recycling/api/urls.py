"""The API root, /api/v1/: one router that gathers every app's routes."""

from rest_framework.routers import DefaultRouter

from accounts.api.urls import routes as accounts_routes
from agencies.api.urls import routes as agencies_routes
from assessments.api.urls import routes as assessments_routes
from dashboards.api.urls import paths as dashboards_paths
from inspections.api.urls import routes as inspections_routes
from network.api.urls import paths as network_paths
from network.api.urls import routes as network_routes
from public.api.urls import paths as public_paths
from sites.api.urls import paths as sites_paths
from sites.api.urls import routes as sites_routes
from support.api.urls import routes as support_routes
from trade.api.urls import paths as trade_paths
from trade.api.urls import routes as trade_routes

app_name = "api"

router = DefaultRouter()
for prefix, viewset, basename in [
    *accounts_routes,
    *agencies_routes,
    *sites_routes,
    *trade_routes,
    *network_routes,
    *support_routes,
    *inspections_routes,
    *assessments_routes,
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *public_paths,
    *sites_paths,
    *trade_paths,
    *network_paths,
    *dashboards_paths,
    *router.urls,
]
