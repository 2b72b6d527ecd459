from django.urls import path

from .views import cases, filing, ledger, patrols

app_name = "inspections"

urlpatterns = [
    # Filing a patrol report from a phone.
    path("report/", filing.choose_site, name="report-choose-site"),
    path("report/site/<int:site_pk>/", filing.file_report, name="report-file"),
    path("report/illegal-point/", filing.record_illegal_point, name="report-illegal-point"),
    path("inspections/", filing.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/<int:pk>/", filing.InspectionDetailView.as_view(), name="inspection-detail"),
    # Cases: queues, the case page and its actions.
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/act/", cases.case_act, name="case-act"),
    path("cases/<int:pk>/reroute/", cases.case_reroute, name="case-reroute"),
    path("cases/<int:pk>/assign/", cases.case_assign, name="case-assign"),
    path("cases/<int:pk>/request/", cases.case_request_time, name="case-request"),
    path("requests/<int:pk>/decide/", cases.request_decide, name="request-decide"),
    path("cases/<int:pk>/enforcement/", cases.case_enforcement, name="case-enforcement"),
    path("cases/<int:pk>/assisting/", cases.case_assisting, name="case-assisting"),
    path("evidence/<int:pk>/", cases.evidence_file, name="evidence-file"),
    # Ledgers and histories.
    path("cases/ledger.xlsx", ledger.case_ledger_export, name="case-ledger"),
    path("requests/", ledger.RequestRegisterView.as_view(), name="request-register"),
    path("compliance/site/<int:site_pk>/", ledger.site_compliance, name="site-compliance"),
    # Patrols: my tasks, the plans, the overview of overdue tasks.
    path("patrols/", patrols.my_patrol_tasks, name="patrol-mine"),
    path("patrols/overview/", patrols.patrol_overview, name="patrol-overview"),
    path("patrols/plans/", patrols.patrol_plan_list, name="patrol-plan-list"),
    path("patrols/plans/new/", patrols.patrol_plan_create, name="patrol-plan-create"),
    path("patrols/plans/<int:pk>/edit/", patrols.patrol_plan_edit, name="patrol-plan-edit"),
]
