from django.urls import path

from . import staff_views

app_name = "public-staff"

urlpatterns = [
    path("reports/", staff_views.ReportListView.as_view(), name="report-list"),
    path("reports/<int:pk>/", staff_views.report_detail, name="report-detail"),
    path("reports/<int:pk>/act/", staff_views.report_act, name="report-act"),
    path("reports/photos/<int:pk>/", staff_views.report_photo, name="report-photo"),
    path("placards/", staff_views.placard_index, name="placard-index"),
    path("placards/sites/<int:pk>/", staff_views.placard_site, name="placard-site"),
    path(
        "placards/townships/<str:code>.zip",
        staff_views.placard_township,
        name="placard-township",
    ),
]
