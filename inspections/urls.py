from django.urls import path

from .views import cases, filing, joint, ledger, patrols

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
    path("cases/bulk/", cases.cases_bulk_act, name="cases-bulk-act"),
    path("cases/<int:pk>/act/", cases.case_act, name="case-act"),
    path("cases/<int:pk>/reroute/", cases.case_reroute, name="case-reroute"),
    path("cases/<int:pk>/assign/", cases.case_assign, name="case-assign"),
    path("cases/<int:pk>/request/", cases.case_request_time, name="case-request"),
    path("requests/<int:pk>/decide/", cases.request_decide, name="request-decide"),
    path("cases/<int:pk>/enforcement/", cases.case_enforcement, name="case-enforcement"),
    path("cases/<int:pk>/assisting/", cases.case_assisting, name="case-assisting"),
    path("cases/<int:pk>/part/done/", cases.case_finish_part, name="case-part-done"),
    path("cases/<int:pk>/part/waive/", cases.case_waive_part, name="case-part-waive"),
    path(
        "cases/<int:pk>/joint-inspection/",
        cases.case_joint_inspection,
        name="case-joint-inspection",
    ),
    path("evidence/<int:pk>/", cases.evidence_file, name="evidence-file"),
    # Joint actions on a site (联合执法): the site page's block and the action's page.
    path("joint/site/<int:site_pk>/", joint.site_joint_actions, name="site-joint-actions"),
    path(
        "joint/site/<int:site_pk>/assemble/",
        joint.site_joint_assemble,
        name="site-joint-assemble",
    ),
    path("joint/<int:pk>/", joint.joint_action_detail, name="joint-action-detail"),
    path("joint/<int:pk>/<slug:step>/", joint.joint_action_step, name="joint-action-step"),
    # Ledgers and histories.
    path("cases/ledger.xlsx", ledger.case_ledger_export, name="case-ledger"),
    path("requests/", ledger.RequestRegisterView.as_view(), name="request-register"),
    path("compliance/site/<int:site_pk>/", ledger.site_compliance, name="site-compliance"),
    # Patrols: my tasks, the plans, the overview of overdue tasks.
    path("patrols/", patrols.my_patrol_tasks, name="patrol-mine"),
    path("patrols/offline.json", patrols.offline_pack, name="patrol-offline-pack"),
    path("patrols/overview/", patrols.patrol_overview, name="patrol-overview"),
    path("patrols/plans/", patrols.patrol_plan_list, name="patrol-plan-list"),
    path("patrols/unassigned/", patrols.unassigned_tasks, name="patrol-unassigned"),
    path("patrols/tasks/<int:pk>/assign/", patrols.assign_task, name="patrol-task-assign"),
    path("patrols/tasks/assign/", patrols.bulk_assign_tasks, name="patrol-tasks-assign"),
    path("patrols/roster/", patrols.grid_roster, name="grid-roster"),
    path("patrols/roster/export/", patrols.grid_roster_export, name="grid-roster-export"),
    path("patrols/plans/new/", patrols.patrol_plan_create, name="patrol-plan-create"),
    path("patrols/plans/<int:pk>/edit/", patrols.patrol_plan_edit, name="patrol-plan-edit"),
]
