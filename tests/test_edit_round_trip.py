"""Opening a record to edit and saving it unchanged changes nothing (issue #11).

Every ModelForm in the portal, found by walking the apps' modules, has a case here or the test
fails. A case builds a fully filled row (every field set: dates, decimals, choices, foreign
keys, many-to-many, multi-line text; booleans all true, and again all false), opens it on its
real edit page as the role that edits it (or renders the form alone where no page reopens the
row), reads what a browser would submit from the HTML (tests/html_forms.py: checked boxes,
selected options, the pickers' value sanitisation, CRLF line breaks), posts it back and
compares the stored row, all concrete fields and many-to-many, and the rows the page also
edits. Plain forms that reopen stored data have a case too; every other plain form is listed
with the reason it does not.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import time_machine
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from accounts import forms as account_forms
from accounts.choices import Role
from agencies import forms as agency_forms
from agencies import meeting_forms
from anji_recycling import forms as portal_forms
from assessments import forms as assessment_forms
from dashboards import forms as dashboard_forms
from inspections import case_forms, joint_forms
from inspections import forms as inspection_forms
from network import forms as network_forms
from public import forms as public_forms
from public import staff_forms as public_staff_forms
from sites import forms as site_forms
from sites.views import coverage as coverage_views
from sites.views import excel as excel_views
from support import forms as support_forms
from tests import filled_rows as rows
from tests.filled_rows import ANJI, People, boolean_flags, build_filled, stored
from tests.html_forms import edit_form, page_errors, page_forms
from tests.portal_forms import label, portal_form_classes
from trade import forms as trade_forms

# After the meetings began: a meeting is recorded once it has started.
NOW = dt.datetime(2026, 8, 3, 10, 0, tzinfo=ANJI)


@dataclass(frozen=True)
class Case:
    """How one form reopens a stored row. `build(people, flag)` returns the row, fully filled,
    its booleans set to `flag`; `page(row)` is its edit page, or None when no page reopens it
    (the form is then rendered alone and saved). `left_alone` names the fields a fully filled
    row leaves empty or at their default, with the reason; `related(row)` the other rows the
    page edits."""

    form: type
    build: Callable
    page: Callable | None = None
    role: str = Role.COMMERCE_ADMIN
    name: str = ""
    left_alone: dict = field(default_factory=dict)
    related: Callable = lambda row: {}

    @property
    def id(self):
        return f"{self.form.__name__}-{self.role}{'-' + self.name if self.name else ''}"

    @property
    def flags(self):
        return boolean_flags(getattr(getattr(self.form, "_meta", None), "model", None))


def edit_page(url_name):
    return lambda row: reverse(url_name, args=[row.pk])


CASES = [
    Case(
        agency_forms.TownshipForm,
        rows.township,
        page=edit_page("agencies:township-update"),
    ),
    Case(
        agency_forms.TownshipPopulationForm,
        rows.township_population,
        page=edit_page("agencies:population-update"),
    ),
    Case(
        agency_forms.VillageForm,
        rows.village,
        page=edit_page("agencies:village-update"),
    ),
    Case(
        agency_forms.VillageForm,
        rows.village,
        page=edit_page("agencies:village-update"),
        role=Role.TOWNSHIP_OFFICER,
    ),
    Case(
        agency_forms.AgencyForm,
        rows.agency,
        page=edit_page("agencies:agency-update"),
        related=rows.agency_duties,
    ),
    Case(
        agency_forms.AgencyDutyForm,
        rows.agency_duty,
        page=edit_page("agencies:duty-update"),
        left_alone={"agency": "a duty of the townships (booleans true) belongs to no agency"},
    ),
    Case(
        agency_forms.ProblemCategoryForm,
        rows.problem_category,
        page=edit_page("agencies:category-update"),
    ),
    Case(
        agency_forms.DutyRuleForm,
        rows.duty_rule,
        page=edit_page("agencies:dutyrule-update"),
        left_alone={"lead_kind": "an agency leads; the other choice leaves lead_agency empty"},
    ),
    Case(
        agency_forms.MembershipForm,
        rows.membership,
        page=edit_page("agencies:membership-update"),
    ),
    Case(
        agency_forms.HolidayArrangementForm,
        rows.holiday_arrangement,
        page=edit_page("agencies:holiday-update"),
    ),
    Case(
        meeting_forms.MeetingForm,
        rows.meeting,
        page=edit_page("agencies:meeting-update"),
        left_alone={"status": "a planned meeting is the one people edit"},
    ),
    Case(
        meeting_forms.RecordMeetingForm,
        rows.held_meeting,
        page=edit_page("agencies:meeting-record"),
        name="recorded-again",
        related=rows.attendance,
    ),
    Case(
        meeting_forms.ActionItemForm,
        rows.action_item,
    ),
    Case(
        meeting_forms.ScheduleForm,
        rows.schedule,
        page=lambda row: reverse("agencies:schedule-update"),
    ),
    Case(
        site_forms.OperatorForm,
        rows.operator,
        page=edit_page("sites:operator-update"),
        role=Role.TOWNSHIP_OFFICER,
    ),
    Case(
        site_forms.OperatorForm,
        rows.operator,
        page=edit_page("sites:operator-update"),
    ),
    Case(
        site_forms.SiteForm,
        rows.site,
        page=edit_page("sites:site-update"),
        role=Role.TOWNSHIP_OFFICER,
    ),
    Case(
        site_forms.SiteForm,
        lambda people, flag: rows.site(people, flag, village_no_longer_current=True),
        page=edit_page("sites:site-update"),
        role=Role.TOWNSHIP_OFFICER,
        name="village-no-longer-current",
    ),
    Case(
        site_forms.SiteForm,
        lambda people, flag: rows.site(people, flag, partners_elsewhere=True),
        page=edit_page("sites:site-update"),
        role=Role.TOWNSHIP_OFFICER,
        name="operator-and-station-in-another-township",
    ),
    Case(
        inspection_forms.PatrolPlanForm,
        rows.patrol_plan,
        page=edit_page("inspections:patrol-plan-edit"),
    ),
    Case(
        case_forms.EnforcementForm,
        rows.enforcement_action,
        role=Role.AGENCY_OFFICER,
    ),
    Case(
        trade_forms.TransferForm,
        rows.transfer,
        page=edit_page("trade:transfer-update"),
        role=Role.TOWNSHIP_OFFICER,
        left_alone={"settlement": "an unsettled transfer is the one people correct"},
    ),
    Case(trade_forms.PriceEntryForm, rows.price_entry),
    Case(
        network_forms.ProjectForm,
        rows.network_project,
        page=edit_page("network:project-update"),
        left_alone={
            "completed_on": "the project is under construction: later stages have no date yet",
            "operating_on": "the project is under construction: later stages have no date yet",
            "venue_type": "a station has no venue type (only a collection point)",
        },
    ),
    Case(trade_forms.ShipmentForm, rows.shipment),
    Case(trade_forms.StockDeclarationForm, rows.stock_declaration),
    Case(
        assessment_forms.SchemeForm,
        rows.scheme,
        page=edit_page("assessments:scheme-edit"),
        left_alone={
            "version": "the first version of the default scheme",
            "total_points": "the default scheme's indicators add up to 100",
        },
        related=rows.scheme_rows,
    ),
    Case(
        support_forms.SubsidyForm,
        rows.subsidy,
        page=edit_page("support:subsidy-edit"),
        left_alone={"project": "a grant goes to an operator or to a project, not both"},
    ),
    Case(support_forms.LandSupportForm, rows.land_support, page=edit_page("support:land-edit")),
    Case(support_forms.PublicityForm, rows.publicity, page=edit_page("support:publicity-edit")),
]

# Plain forms that do not reopen a stored row, and why.
NOT_REOPENING = {
    public_staff_forms.ReplyForm: "replies to a resident (each reply is a new message)",
    public_staff_forms.MergeForm: "merges a report into a case (an action, not an edit)",
    public_staff_forms.RejectForm: "turns a held report down with a reason (an action)",
    account_forms.LoginForm: "logs in",
    account_forms.IssueApiTokenForm: "issues a new API token (tokens are revoked, never edited)",
    portal_forms.Form: "the portal's base, with no fields",
    site_forms.PositionFormMixin: "the position fields of SiteForm and ProjectForm (their cases)",
    agency_forms.CalendarYearCompleteForm: "marks a year's holidays entered in full, once",
    agency_forms.CalendarYearReopenForm: "asks for a reason to take that back",
    meeting_forms.CancelMeetingForm: "asks for a reason to cancel",
    meeting_forms.ProgressForm: "adds a progress report",
    assessment_forms.PeriodForm: "opens a new period",
    assessment_forms.ReasonForm: "asks for a reason to unlock",
    assessment_forms.DeductionForm: "records a new deduction",
    assessment_forms.ObjectionForm: "files a new objection",
    assessment_forms.DecisionForm: "decides an objection once",
    assessment_forms.IndicatorRowForm: "a row of the scheme page (SchemeForm's case saves it)",
    assessment_forms.BandRowForm: "a row of the scheme page (SchemeForm's case saves it)",
    dashboard_forms.PeriodForm: "chooses the dashboard's period (GET)",
    case_forms.CaseActionForm: "takes a case to its next stage",
    case_forms.RerouteForm: "reroutes a case once, with a reason",
    case_forms.AssignForm: "assigns a case to an officer",
    case_forms.AssistingForm: "adds, removes or waives an assisting agency once, with a reason",
    case_forms.JointInspectionForm: "sets the joint inspection day, an action with a new value",
    case_forms.TimeRequestForm: "asks for more working days",
    case_forms.DecisionForm: "decides a request for time once",
    inspection_forms.SiteSearchForm: "searches sites (GET)",
    inspection_forms.ReportForm: "files a new patrol report",
    inspection_forms.FindingForm: "a finding of a new patrol report",
    inspection_forms.IllegalPointForm: "records a new illegal point",
    site_forms.SiteStatusForm: "changes a site's status, with a reason",
    inspection_forms.AssignPatrolTaskForm: "gives an open patrol task to a grid worker",
    support_forms.NoticeForm: "publishes a new notice once (notices are not edited)",
    site_forms.SitePhotoForm: "adds a photo",
    site_forms.PositionPreviewForm: "converts a pasted position for the map's preview (GET)",
    coverage_views.CoverageYearForm: "chooses the coverage page's year (GET)",
    excel_views.ImportUploadForm: "uploads a new workbook",
    trade_forms.SettlementForm: "settles a new batch of transfers",
    trade_forms.PaymentForm: "records a settlement's payment once",
    trade_forms.MonthForm: "chooses the mass balance's month (GET)",
    trade_forms.BalanceForm: "chooses the mass balance's month and the flags it lists (GET)",
    trade_forms.ChartPeriodForm: "chooses the market dashboard's period (GET)",
    trade_forms.ClearFlagForm: "clears a mass-balance flag once, with an explanation",
    public_forms.PublicReportForm: "files a new resident's report (never edited by them)",
    network_forms.AdvanceForm: "takes a project to its next stage once",
    network_forms.ProjectPhotoForm: "adds a photo",
    network_forms.SuggestionForm: "chooses the suggestions' township and radius (GET)",
    case_forms.BulkCaseActionForm: "takes the ticked cases to their next stage at once",
    inspection_forms.BulkAssignPatrolTasksForm: "gives the ticked patrol tasks to a grid worker",
    joint_forms.AssembleForm: "assembles a new joint action on a site",
    joint_forms.CloseJointActionForm: "closes a joint action once",
    joint_forms.JointAgencyForm: "adds or removes an agency of a joint action, with a reason",
    joint_forms.JointDateForm: "sets a joint action's inspection day, an action with a new value",
}


def test_every_form_in_the_portal_has_a_case_or_a_reason():
    """A new form is found by the walk and must say how it reopens stored data."""
    covered = {case.form for case in CASES}
    missing = [
        label(form_class)
        for form_class in portal_form_classes()
        if form_class not in covered
        and form_class not in NOT_REOPENING
        and form_class is not portal_forms.ModelForm
    ]
    assert missing == []
    reopened = covered & set(NOT_REOPENING)
    assert reopened == set()


# The check ---------------------------------------------------------------------------------


def submit_edit_page(client, case, row, user):
    client.force_login(user)
    url = case.page(row)
    response = client.get(url)
    assert response.status_code == 200, f"{url} answers {response.status_code}"
    data = edit_form(response.content.decode()).data()
    response = client.post(url, data)
    if response.status_code != 302:
        pytest.fail(
            f"saving {url} unchanged answers {response.status_code}: {page_errors(response)}"
        )


def submit_form_alone(case, row):
    html = case.form(instance=row).as_div()
    data = MultiValueDict(page_forms(f'<form method="post">{html}</form>')[0].data())
    form = case.form(data, instance=type(row)._base_manager.get(pk=row.pk))
    assert form.is_valid(), form.errors
    form.save()


@pytest.mark.parametrize(
    ("case", "flag"),
    [
        pytest.param(case, flag, id=f"{case.id}-booleans-{str(flag).lower()}")
        for case in CASES
        for flag in case.flags
    ],
)
@time_machine.travel(NOW, tick=False)
def test_saving_an_edit_form_unchanged_changes_nothing(case, flag, client, db):
    people = People()
    row = build_filled(case.build, people, flag=flag, left_alone=case.left_alone)
    before, related_before = stored(row), case.related(row)
    if case.page is None:
        submit_form_alone(case, row)
    else:
        submit_edit_page(client, case, row, people.user(case.role))
    assert stored(row) == before
    assert case.related(row) == related_before
