"""Roles map to Django groups; this is the one table of what each role may do.

Scope (which rows) is decided by each model's `visible_to`/`editable_by`; these permissions
decide which kinds of rows a role may view, add, change or delete at all. The migrations that
grant them (accounts/migrations) must add up to this table; a test checks that they do.
"""

from .choices import Role

AGENCIES_MODELS = (
    "agency",
    "agencyduty",
    "township",
    "townshippopulation",
    "village",
    "problemcategory",
    "dutyrule",
    "leadinggrouppost",
    "leadinggroupmembership",
    "holidayarrangement",
    "calendaryear",
)
SITE_REGISTRY = ("operator", "site", "sitephoto")
ALL = ["view", "add", "change", "delete"]


def _perms(app_label, models, actions):
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


VIEW_ORGANISATION = _perms("agencies", AGENCIES_MODELS, ["view"])
VIEW_REGISTRY = _perms("sites", (*SITE_REGISTRY, "sitestatuschange", "material"), ["view"])

INSPECTIONS_READ = _perms(
    "inspections",
    (
        "inspection",
        "case",
        "caseevent",
        "caserequest",
        "enforcementaction",
        "checklistitem",
        "inspectionofficer",
        "jointaction",
        "jointactionagency",
    ),
    ["view"],
)

SCHEDULING_READ = [
    *_perms("agencies", ("meeting", "actionitem", "actionitemupdate"), ["view"]),
    *_perms("inspections", ("patrolplan", "patroltask"), ["view"]),
]

ASSESSMENT_READ = _perms(
    "assessments",
    (
        "assessmentscheme",
        "indicator",
        "gradeband",
        "assessmentperiod",
        "townshipresult",
        "indicatorscore",
        "deduction",
        "deductionevidence",
        "objection",
    ),
    ["view"],
)

TRADE_MODELS = (
    "materialgrade",
    "priceentry",
    "transfer",
    "settlement",
    "shipment",
    "stockdeclaration",
    "flagclearance",
)
TRADE_READ = _perms("trade", TRADE_MODELS, ["view"])
# A township officer enters its sites' transfers, settlements and month-end stocks.
TRADE_TOWNSHIP = [
    *_perms("trade", ("transfer", "settlement", "stockdeclaration"), ["add", "change"]),
    "trade.add_flagclearance",
]

NETWORK_MODELS = ("networkproject", "projectstagechange", "projectphoto")
NETWORK_READ = _perms("network", NETWORK_MODELS, ["view"])
# A township officer registers and runs its own stations' and points' projects.
NETWORK_TOWNSHIP = [
    *NETWORK_READ,
    "network.add_networkproject",
    "network.change_networkproject",
    "network.add_projectphoto",
]
SUPPORT_MODELS = ("subsidy", "landsupportcase")
SUPPORT_READ = _perms("support", SUPPORT_MODELS, ["view"])
# The finance bureau records subsidies, the planning bureau land support: which agency, the
# services and `editable_by` decide (accounts.access.records_subsidies, records_land_support).
SUPPORT_AGENCY = _perms("support", SUPPORT_MODELS, ["view", "add", "change"])

NOTICE_READ = ["support.view_associationnotice"]
PUBLICITY_READ = ["support.view_publicityactivity"]
PUBLICITY_RECORD = _perms("support", ("publicityactivity",), ["view", "add", "change"])

# What an agency officer does with the cases its agency leads or assists on.
AGENCY_CASEWORK = [
    "inspections.change_case",
    "inspections.add_caserequest",
    "inspections.add_enforcementaction",
    "agencies.change_actionitem",
    "agencies.add_actionitemupdate",
]

# Residents' reports: the county office and the report's township (scope: visible_to).
PUBLIC_REPORTS = [
    *_perms("public", ("publicreport",), ["view", "change"]),
    "public.view_publicreportphoto",
]

ROLE_PERMISSIONS = {
    Role.COMMERCE_ADMIN: [
        *_perms("agencies", AGENCIES_MODELS, ALL),
        *_perms("accounts", ["user"], ["view", "add", "change"]),
        "accounts.view_securityevent",
        *_perms("sites", (*SITE_REGISTRY, "coveragetarget", "material"), ALL),
        "sites.view_sitestatuschange",
        "sites.view_backgroundjob",
        *INSPECTIONS_READ,
        *_perms("inspections", ("checklistitem",), ["add", "change", "delete"]),
        "inspections.add_inspection",
        "inspections.change_case",
        "inspections.change_caserequest",
        *_perms(
            "agencies", ("meeting", "meetingattendance", "actionitem", "actionitemupdate"), ALL
        ),
        *_perms("agencies", ("schedule",), ["view", "change"]),
        *_perms("inspections", ("patrolplan",), ALL),
        *_perms("inspections", ("patroltask",), ["view", "change"]),
        "inspections.view_caseescalation",
        *ASSESSMENT_READ,
        *_perms("assessments", ("assessmentscheme", "indicator", "gradeband"), ALL),
        *_perms("assessments", ("assessmentperiod",), ALL),
        "assessments.view_computationrun",
        "assessments.add_deduction",
        "assessments.change_deduction",
        "assessments.add_deductionevidence",
        "assessments.change_objection",
        *_perms("trade", TRADE_MODELS, ALL),
        *_perms("network", ("networkproject",), ["view", "add", "change"]),
        *_perms("network", ("projectstagechange",), ["view"]),
        *_perms("network", ("projectphoto",), ["view", "add"]),
        *PUBLIC_REPORTS,
        *_perms("public", ("publicreporting",), ["view", "change"]),
        *SUPPORT_AGENCY,
        *_perms("support", ("associationnotice",), ["view", "add", "change"]),
        *PUBLICITY_RECORD,
    ],
    Role.TOWNSHIP_OFFICER: [
        *VIEW_ORGANISATION,
        "agencies.change_village",
        *_perms("sites", SITE_REGISTRY, ["view", "add", "change"]),
        "sites.view_sitestatuschange",
        "sites.view_material",
        "sites.view_coveragetarget",
        *INSPECTIONS_READ,
        "inspections.add_inspection",
        "inspections.change_case",
        *SCHEDULING_READ,
        "inspections.change_patroltask",
        *ASSESSMENT_READ,
        "assessments.add_objection",
        *TRADE_READ,
        *TRADE_TOWNSHIP,
        *NETWORK_TOWNSHIP,
        *PUBLIC_REPORTS,
        *SUPPORT_READ,
        *NOTICE_READ,
        *PUBLICITY_RECORD,
    ],
    Role.GRID_WORKER: [
        *VIEW_ORGANISATION,
        *VIEW_REGISTRY,
        "sites.view_coveragetarget",
        *INSPECTIONS_READ,
        "inspections.add_inspection",
        *SCHEDULING_READ,
        "inspections.change_patroltask",
        *TRADE_READ,
        *NETWORK_READ,
        *NOTICE_READ,
        *PUBLICITY_READ,
    ],
    Role.AGENCY_OFFICER: [
        *VIEW_ORGANISATION,
        *VIEW_REGISTRY,
        *INSPECTIONS_READ,
        *SCHEDULING_READ,
        *AGENCY_CASEWORK,
        *TRADE_READ,
        *NETWORK_READ,
        *SUPPORT_AGENCY,
        *NOTICE_READ,
        *PUBLICITY_RECORD,
    ],
    # The social governance centre: the grid teams' plans, tasks and reports county-wide.
    Role.GOVERNANCE_STAFF: [
        *VIEW_ORGANISATION,
        *VIEW_REGISTRY,
        "sites.view_coveragetarget",
        *INSPECTIONS_READ,
        *SCHEDULING_READ,
        *AGENCY_CASEWORK,
        *_perms("inspections", ("patrolplan",), ["add", "change"]),
        "inspections.change_patroltask",
        *TRADE_READ,
        *NETWORK_READ,
        *SUPPORT_READ,
        *NOTICE_READ,
        *PUBLICITY_RECORD,
    ],
    # The supply and marketing co-op: its enterprises and their sites; the cases it leads.
    Role.COOP_STAFF: [
        *VIEW_ORGANISATION,
        *VIEW_REGISTRY,
        "sites.view_coveragetarget",
        *INSPECTIONS_READ,
        *SCHEDULING_READ,
        *AGENCY_CASEWORK,
        *TRADE_READ,
        *NETWORK_TOWNSHIP,
        *SUPPORT_READ,
        *NOTICE_READ,
        *PUBLICITY_RECORD,
    ],
    # The industry association reads the registry it serves and the market it bridges to.
    Role.ASSOCIATION: [
        *VIEW_ORGANISATION,
        *_perms("sites", ("operator", "site", "material"), ["view"]),
        *TRADE_READ,
        *_perms("support", ("associationnotice",), ["view", "add", "change"]),
    ],
    Role.ASSESSOR: [
        *VIEW_ORGANISATION,
        *VIEW_REGISTRY,
        "sites.view_coveragetarget",
        *INSPECTIONS_READ,
        *SCHEDULING_READ,
        *ASSESSMENT_READ,
        "assessments.add_deduction",
        "assessments.change_deduction",
        "assessments.add_deductionevidence",
        *TRADE_READ,
        *NETWORK_READ,
        *SUPPORT_READ,
        *NOTICE_READ,
        *PUBLICITY_READ,
    ],
    Role.LEADER: [
        *VIEW_ORGANISATION,
        *VIEW_REGISTRY,
        "sites.view_coveragetarget",
        *INSPECTIONS_READ,
        *SCHEDULING_READ,
        *ASSESSMENT_READ,
        *TRADE_READ,
        *NETWORK_READ,
        *SUPPORT_READ,
        *NOTICE_READ,
        *PUBLICITY_READ,
    ],
}


def group_name(role) -> str:
    """Groups are named by the role's value so renaming a label never orphans a group."""
    return f"role:{role}"
