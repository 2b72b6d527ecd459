from django.urls import path

from .views import coverage, excel, maps, registry

app_name = "sites"

urlpatterns = [
    # Registry: lists, detail, forms, status changes, photos.
    path("", registry.SiteListView.as_view(), name="site-list"),
    path("new/", registry.SiteCreateView.as_view(), name="site-create"),
    path("<int:pk>/", registry.SiteDetailView.as_view(), name="site-detail"),
    path("<int:pk>/edit/", registry.SiteUpdateView.as_view(), name="site-update"),
    path("<int:pk>/status/", registry.site_change_status, name="site-status"),
    path("<int:pk>/history/", registry.SiteHistoryView.as_view(), name="site-history"),
    path("<int:pk>/photos/", registry.site_add_photo, name="site-photo"),
    path("photos/<int:pk>/", registry.site_photo_file, name="photo-file"),
    path("operators/", registry.OperatorListView.as_view(), name="operator-list"),
    path("operators/new/", registry.OperatorCreateView.as_view(), name="operator-create"),
    path("operators/<int:pk>/", registry.OperatorDetailView.as_view(), name="operator-detail"),
    path("operators/<int:pk>/edit/", registry.OperatorUpdateView.as_view(), name="operator-update"),
    path(
        "operators/<int:pk>/history/",
        registry.OperatorHistoryView.as_view(),
        name="operator-history",
    ),
    # Excel: rosters (filtered like the lists), template, import with dry run, background jobs.
    path("export/sites.xlsx", excel.export_sites, name="site-export"),
    path("export/operators.xlsx", excel.export_operators, name="operator-export"),
    path("import/template.xlsx", excel.import_template, name="import-template"),
    path("import/", excel.import_upload, name="import"),
    path("import/<int:job_pk>/", excel.import_review, name="import-review"),
    path("import/<int:job_pk>/marked.xlsx", excel.import_marked_sheet, name="import-marked"),
    path("jobs/<int:job_pk>/", excel.job_status, name="job-status"),
    path("jobs/<int:job_pk>/download/", excel.job_download, name="job-download"),
    # Maps.
    path("map/", maps.site_map, name="site-map"),
    path("position-wgs84/", maps.position_wgs84, name="position-wgs84"),
    # Coverage against the year's targets.
    path("coverage/", coverage.coverage, name="coverage"),
]
