from django.urls import path

from .views import DashboardView

# Plain API paths (not viewsets), included under /api/v1/.
paths = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
]
