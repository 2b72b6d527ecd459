from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.period_list, name="period-list"),
    path("new/", views.period_create, name="period-create"),
    path("<int:pk>/", views.period_detail, name="period-detail"),
    path("<int:pk>/compute/", views.period_compute, name="period-compute"),
    path("<int:pk>/lock/", views.period_lock, name="period-lock"),
    path("<int:pk>/publish/", views.period_publish, name="period-publish"),
    path("<int:pk>/unlock/", views.period_unlock, name="period-unlock"),
    path("<int:pk>/history/", views.period_history, name="period-history"),
    path("<int:pk>/results.xlsx", views.period_export, name="period-export"),
    path("<int:pk>/deductions/new/", views.deduction_create, name="deduction-create"),
    path("<int:pk>/townships/<int:township_pk>/", views.township_detail, name="township-detail"),
    path("runs/<int:pk>/", views.run_status, name="run-status"),
    path("scores/<int:pk>/", views.score_detail, name="score-detail"),
    path("deductions/<int:pk>/", views.deduction_detail, name="deduction-detail"),
    path("deductions/<int:pk>/withdraw/", views.deduction_withdraw, name="deduction-withdraw"),
    path("deductions/<int:pk>/object/", views.objection_file, name="objection-file"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection-decide"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("schemes/", views.scheme_list, name="scheme-list"),
    path("schemes/new/", views.scheme_edit, name="scheme-create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme-detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme-edit"),
    path("schemes/<int:pk>/revise/", views.scheme_revise, name="scheme-revise"),
]
