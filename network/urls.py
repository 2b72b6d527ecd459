from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project-list"),
    path("projects.xlsx", views.project_export, name="project-export"),
    path("new/", views.ProjectCreateView.as_view(), name="project-create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project-update"),
    path("<int:pk>/history/", views.ProjectHistoryView.as_view(), name="project-history"),
    path("<int:pk>/advance/", views.project_advance, name="project-advance"),
    path("<int:pk>/photos/", views.project_photo_add, name="photo-add"),
    path("photos/<int:pk>/", views.project_photo_file, name="photo-file"),
    path("progress/", views.progress, name="progress"),
    path("progress/<int:township_pk>/", views.progress, name="township-progress"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions.xlsx", views.suggestion_export, name="suggestion-export"),
    path("suggestions/adopt/", views.suggestion_adopt, name="suggestion-adopt"),
]
