"""The admin's change forms keep what nobody changed, as the portal's own forms do
(tests/test_edit_round_trip.py): every model registered in the admin that the commerce bureau
may change there is opened on its change page with a fully filled row, what the browser would
submit is posted back, and the stored row is unchanged. The admin's date fields render ISO 8601
(anji_recycling/formats), the same as the portal's pickers. Models the admin shows read-only
(cases, enforcement actions, assessments) cannot be saved there at all."""

import functools
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User
from agencies.models import (
    Agency,
    AgencyDuty,
    DutyRule,
    LeadingGroupMembership,
    LeadingGroupPost,
    ProblemCategory,
    Township,
    TownshipPopulation,
    Village,
)
from inspections.models import ChecklistItem, EnforcementAction, PatrolPlan
from network.models import NetworkProject
from public.models import PublicReporting
from sites.models import CoverageTarget, Material, Operator, Site
from support.models import LandSupportCase, PublicityActivity, Subsidy
from tests import filled_rows as rows
from tests.filled_rows import People, boolean_flags, build_filled, stored
from tests.html_forms import edit_form, page_errors
from tests.portal_forms import portal_packages
from trade.models import MaterialGrade, PriceEntry


@dataclass(frozen=True)
class AdminCase:
    model: type
    build: object
    role: str = Role.COMMERCE_ADMIN
    left_alone: dict = field(default_factory=dict)
    related: object = lambda row: {}

    @property
    def flags(self):
        return boolean_flags(self.model)


CASES = [
    AdminCase(Township, rows.township),
    AdminCase(TownshipPopulation, rows.township_population),
    AdminCase(Village, rows.village),
    AdminCase(Agency, rows.agency, related=rows.agency_duties),
    AdminCase(
        AgencyDuty,
        rows.agency_duty,
        left_alone={"agency": "a duty of the townships (booleans true) belongs to no agency"},
    ),
    AdminCase(ProblemCategory, rows.problem_category),
    AdminCase(
        DutyRule,
        rows.duty_rule,
        left_alone={"lead_kind": "an agency leads; the other choice leaves lead_agency empty"},
    ),
    AdminCase(
        LeadingGroupPost,
        rows.leading_group_post,
        left_alone={"township": "an agency's post belongs to no township"},
    ),
    AdminCase(LeadingGroupMembership, rows.membership),
    AdminCase(Operator, rows.operator),
    AdminCase(Operator, rows.operator, role=Role.TOWNSHIP_OFFICER),
    AdminCase(Site, rows.site),
    AdminCase(
        Site,
        functools.partial(rows.site, partners_elsewhere=True),
        role=Role.TOWNSHIP_OFFICER,
    ),
    AdminCase(Material, rows.material),
    AdminCase(CoverageTarget, rows.coverage_target),
    AdminCase(MaterialGrade, rows.material_grade),
    AdminCase(PriceEntry, rows.price_entry),
    AdminCase(ChecklistItem, rows.checklist_item),
    AdminCase(PatrolPlan, rows.patrol_plan),
    AdminCase(
        NetworkProject,
        rows.network_project,
        left_alone={
            "completed_on": "the project is under construction: later stages have no date yet",
            "operating_on": "the project is under construction: later stages have no date yet",
            "venue_type": "a station has no venue type (only a collection point)",
        },
    ),
    AdminCase(
        Subsidy,
        rows.subsidy,
        left_alone={"project": "a grant goes to an operator or to a project, not both"},
    ),
    AdminCase(LandSupportCase, rows.land_support),
    AdminCase(PublicityActivity, rows.publicity),
    AdminCase(PublicReporting, rows.public_reporting),
    AdminCase(
        User,
        rows.user,
        left_alone={
            "township": "an agency officer belongs to no township",
            "user_permissions": "a role's permissions come with its group",
        },
    ),
]


def changeable_portal_models(user):
    """The portal's models whose admin change page lets `user` save."""
    request = RequestFactory().get("/admin/")
    request.user = user
    return {
        model
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in portal_packages() and model_admin.has_change_permission(request)
    }


def test_every_model_the_commerce_bureau_changes_in_the_admin_has_a_case(db):
    people = People()
    assert changeable_portal_models(people.commerce) == {case.model for case in CASES}
    # The models with dates the issue names are checked, or cannot be saved in the admin.
    assert Operator in changeable_portal_models(people.officer)
    assert EnforcementAction not in changeable_portal_models(people.commerce)


@pytest.mark.parametrize(
    ("case", "flag"),
    [
        pytest.param(
            case, flag, id=f"{case.model.__name__}-{case.role}-booleans-{str(flag).lower()}"
        )
        for case in CASES
        for flag in case.flags
    ],
)
def test_saving_an_admin_change_form_unchanged_changes_nothing(case, flag, client, db):
    people = People()
    row = build_filled(case.build, people, flag=flag, left_alone=case.left_alone)
    before, related_before = stored(row), case.related(row)
    client.force_login(people.user(case.role))
    opts = case.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, edit_form(page.content.decode()).data())
    assert response.status_code == 302, page_errors(response)
    assert stored(row) == before
    assert case.related(row) == related_before


def test_the_admin_shows_an_operators_licence_dates_in_iso_8601(client, db):
    people = People()
    operator = rows.operator(people, True)
    client.force_login(people.officer)
    page = client.get(reverse("admin:sites_operator_change", args=[operator.pk]))
    inputs = {attrs.get("name"): attrs for attrs in edit_form(page.content.decode()).inputs}
    assert inputs["licence_issued_on"]["value"] == "2024-07-01"
    assert inputs["licence_valid_until"]["value"] == "2027-06-30"
    assert inputs["filed_on"]["value"] == "2024-07-20"


def test_an_enforcement_action_cannot_be_saved_in_the_admin(client, db):
    """The admin shows enforcement actions read-only: the case page records them."""
    people = People()
    action = rows.enforcement_action(people, True)
    before = stored(action)
    client.force_login(people.commerce)
    url = reverse("admin:inspections_enforcementaction_change", args=[action.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"decided_on": "", "_save": "保存"}).status_code == 403
    assert stored(action) == before
