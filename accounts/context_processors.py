"""The header's navigation, chosen by what the user may see."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .access import (
    assigns_patrol_tasks,
    has_role,
    is_county_admin,
    reads_grid_roster,
    role_grants,
)
from .selectors import unread_count


def _token_links(user) -> list[tuple]:
    if not is_county_admin(user):
        return []
    return [(_("API tokens"), reverse("accounts:api-token-list"))]


def _placard_links(user) -> list[tuple]:
    if not is_county_admin(user):
        return []
    return [(_("Site placards"), reverse("public-staff:placard-index"))]


def _market_items() -> list[tuple]:
    return [
        (_("Market dashboard"), reverse("trade:dashboard")),
        (_("Transfers"), reverse("trade:transfer-list")),
        (_("Price board"), reverse("trade:price-board")),
        (_("Settlements"), reverse("trade:settlement-list")),
        (_("Shipments to processors"), reverse("trade:shipment-list")),
        (_("Mass balance"), reverse("trade:balance")),
    ]


def _network_items() -> list[tuple]:
    return [
        (_("Network-building projects"), reverse("network:project-list")),
        (_("Progress towards the target year"), reverse("network:progress")),
        (_("Placement suggestions"), reverse("network:suggestions")),
    ]


# The patrols-and-cases items a role's permission opens: (permission, label, URL name).
_WORK_ITEMS = (
    ("inspections.add_inspection", _("File a report"), "inspections:report-choose-site"),
    ("inspections.view_inspection", _("Inspection reports"), "inspections:inspection-list"),
    ("inspections.view_inspection", _("Cases"), "inspections:case-list"),
    ("public.view_publicreport", _("Public reports"), "public-staff:report-list"),
    ("inspections.view_patroltask", _("My patrols"), "inspections:patrol-mine"),
    ("inspections.view_patrolplan", _("Patrol plans"), "inspections:patrol-plan-list"),
)


def _sites_group(user) -> tuple:
    return (
        _("Sites"),
        [
            (_("Sites"), reverse("sites:site-list")),
            (_("Operators"), reverse("sites:operator-list")),
            (_("Map"), reverse("sites:site-map")),
            (_("Coverage"), reverse("sites:coverage")),
            *_placard_links(user),
        ],
    )


def _work_group(user) -> tuple:
    work = [
        (label, reverse(url_name))
        for permission, label, url_name in _WORK_ITEMS
        if role_grants(user, permission)
    ]
    if assigns_patrol_tasks(user):
        work.append((_("Unassigned patrol tasks"), reverse("inspections:patrol-unassigned")))
    if reads_grid_roster(user):
        work.append((_("Grid-worker roster"), reverse("inspections:grid-roster")))
    return (_("Patrols and cases"), work)


def _support_groups(user) -> list[tuple]:
    if role_grants(user, "support.view_subsidy"):
        items = [
            (_("Subsidies and awards"), reverse("support:subsidy-list")),
            (_("Land-support cases"), reverse("support:land-list")),
            (_("Support summary"), reverse("support:summary")),
            (_("Publicity activities"), reverse("support:publicity-list")),
            (_("Association notices"), reverse("support:notice-list")),
        ]
    elif role_grants(user, "support.view_associationnotice"):
        items = [(_("Association notices"), reverse("support:notice-list"))]
    else:
        return []
    return [(_("Support"), items)]


def _organisation_group(user) -> tuple:
    return (
        _("Organisation"),
        [
            (_("Joint meetings"), reverse("agencies:meeting-list")),
            (_("Leading group"), reverse("agencies:leading-group")),
            (_("Duty table"), reverse("agencies:dutyrule-list")),
            (_("Working-day calendar"), reverse("agencies:calendar")),
            (_("Agencies and duties"), reverse("agencies:agency-list")),
            (_("Townships"), reverse("agencies:township-list")),
            (_("Villages"), reverse("agencies:village-list")),
            *_token_links(user),
        ],
    )


def _role_groups(user) -> list[tuple]:
    """The groups a role opens, between Home and the closing links."""
    groups = [_sites_group(user)]
    if role_grants(user, "network.view_networkproject"):
        groups.append((_("Network building"), _network_items()))
    groups.append(_work_group(user))
    if role_grants(user, "trade.view_transfer"):
        groups.append((_("Recycling market"), _market_items()))
    groups += _support_groups(user)
    if role_grants(user, "assessments.view_assessmentperiod"):
        groups.append((_("Assessment"), [(_("Assessment"), reverse("assessments:period-list"))]))
    groups.append(_organisation_group(user))
    return groups


def _navigation_groups(user) -> list[tuple]:
    """(group label or None, [(label, url), ...]) in the header's order."""
    home = [(_("Home"), reverse("home"))]
    groups = []
    if has_role(user):
        home.append((_("Dashboards"), reverse("dashboards:dashboard")))
        groups = _role_groups(user)
    more = [(_("Administration"), reverse("admin:index"))] if user.is_staff else []
    return [(None, home), *groups, (None, [*more, (_("API"), reverse("api-docs"))])]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    groups = _navigation_groups(user)
    return {
        "nav_groups": groups,
        "nav_items": [item for _label, items in groups for item in items],
        "is_county_admin": is_county_admin(user),
        "can_search": has_role(user),
        # One COUNT per page, only when the header shows it.
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user=user)),
    }
