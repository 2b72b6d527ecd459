from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.site_list, name="site-list"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("report/", views.report, name="report"),
    path("reports/<str:token>/", views.report_status, name="report-status"),
]
