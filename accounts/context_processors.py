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


def _navigation_groups(user) -> list[tuple]:
    """(group label or None, [(label, url), ...]) in the header's order."""
    groups = [(None, [(_("Home"), reverse("home"))])]
    if has_role(user):
        groups[0][1].append((_("Dashboards"), reverse("dashboards:dashboard")))
        groups.append(
            (
                _("Sites"),
                [
                    (_("Sites"), reverse("sites:site-list")),
                    (_("Operators"), reverse("sites:operator-list")),
                    (_("Map"), reverse("sites:site-map")),
                    (_("Coverage"), reverse("sites:coverage")),
                    *_placard_links(user),
                ],
            )
        )
        if role_grants(user, "network.view_networkproject"):
            groups.append((_("Network building"), _network_items()))
        work = []
        if role_grants(user, "inspections.add_inspection"):
            work.append((_("File a report"), reverse("inspections:report-choose-site")))
        if role_grants(user, "inspections.view_inspection"):
            work += [
                (_("Inspection reports"), reverse("inspections:inspection-list")),
                (_("Cases"), reverse("inspections:case-list")),
            ]
        if role_grants(user, "public.view_publicreport"):
            work.append((_("Public reports"), reverse("public-staff:report-list")))
        if role_grants(user, "inspections.view_patroltask"):
            work.append((_("My patrols"), reverse("inspections:patrol-mine")))
        if role_grants(user, "inspections.view_patrolplan"):
            work.append((_("Patrol plans"), reverse("inspections:patrol-plan-list")))
        if assigns_patrol_tasks(user):
            work.append((_("Unassigned patrol tasks"), reverse("inspections:patrol-unassigned")))
        if reads_grid_roster(user):
            work.append((_("Grid-worker roster"), reverse("inspections:grid-roster")))
        groups.append((_("Patrols and cases"), work))
        if role_grants(user, "trade.view_transfer"):
            groups.append((_("Recycling market"), _market_items()))
        if role_grants(user, "support.view_subsidy"):
            groups.append(
                (
                    _("Support"),
                    [
                        (_("Subsidies and awards"), reverse("support:subsidy-list")),
                        (_("Land-support cases"), reverse("support:land-list")),
                        (_("Support summary"), reverse("support:summary")),
                        (_("Publicity activities"), reverse("support:publicity-list")),
                        (_("Association notices"), reverse("support:notice-list")),
                    ],
                )
            )
        elif role_grants(user, "support.view_associationnotice"):
            groups.append(
                (_("Support"), [(_("Association notices"), reverse("support:notice-list"))])
            )
        if role_grants(user, "assessments.view_assessmentperiod"):
            groups.append(
                (_("Assessment"), [(_("Assessment"), reverse("assessments:period-list"))])
            )
        groups.append(
            (
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
        )
    more = [(_("Administration"), reverse("admin:index"))] if user.is_staff else []
    groups.append((None, [*more, (_("API"), reverse("api-docs"))]))
    return groups


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
