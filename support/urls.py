from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("subsidies/", views.SubsidyListView.as_view(), name="subsidy-list"),
    path("subsidies/new/", views.SubsidyCreateView.as_view(), name="subsidy-create"),
    path("subsidies/<int:pk>/", views.SubsidyDetailView.as_view(), name="subsidy-detail"),
    path("subsidies/<int:pk>/edit/", views.SubsidyUpdateView.as_view(), name="subsidy-edit"),
    path("subsidies/<int:pk>/history/", views.SubsidyHistoryView.as_view(), name="subsidy-history"),
    path("subsidies/<int:pk>/evidence/", views.subsidy_evidence, name="subsidy-evidence"),
    path("land/", views.LandSupportListView.as_view(), name="land-list"),
    path("land/new/", views.LandSupportCreateView.as_view(), name="land-create"),
    path("land/<int:pk>/", views.LandSupportDetailView.as_view(), name="land-detail"),
    path("land/<int:pk>/edit/", views.LandSupportUpdateView.as_view(), name="land-edit"),
    path("land/<int:pk>/history/", views.LandSupportHistoryView.as_view(), name="land-history"),
    path("notices/", views.NoticeListView.as_view(), name="notice-list"),
    path("notices/new/", views.NoticeCreateView.as_view(), name="notice-create"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path("notices/<int:pk>/history/", views.NoticeHistoryView.as_view(), name="notice-history"),
    path("publicity/", views.PublicityListView.as_view(), name="publicity-list"),
    path("publicity/new/", views.PublicityCreateView.as_view(), name="publicity-create"),
    path("publicity/<int:pk>/", views.PublicityDetailView.as_view(), name="publicity-detail"),
    path("publicity/<int:pk>/edit/", views.PublicityUpdateView.as_view(), name="publicity-edit"),
    path(
        "publicity/<int:pk>/history/",
        views.PublicityHistoryView.as_view(),
        name="publicity-history",
    ),
    path("publicity/<int:pk>/photo/", views.publicity_photo, name="publicity-photo"),
    path("summary/", views.summary, name="summary"),
    path("summary/export/", views.summary_export, name="summary-export"),
]
