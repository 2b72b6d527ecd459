"""The header's navigation, chosen by what the user may see."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .access import has_role, is_county_admin
from .roles import ROLE_PERMISSIONS
from .selectors import unread_count


def _role_grants(user, permission) -> bool:
    """Whether the user's role grants a permission, from the role table: no query per page."""
    return user.is_superuser or permission in ROLE_PERMISSIONS.get(user.role, ())


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), reverse("home"))]
    if has_role(user):
        items += [
            (_("Townships"), reverse("agencies:township-list")),
            (_("Villages"), reverse("agencies:village-list")),
            (_("Agencies and duties"), reverse("agencies:agency-list")),
            (_("Duty table"), reverse("agencies:dutyrule-list")),
            (_("Leading group"), reverse("agencies:leading-group")),
            (_("Joint meetings"), reverse("agencies:meeting-list")),
            (_("Cases"), reverse("inspections:case-list")),
            (_("File a report"), reverse("inspections:report-choose-site")),
        ]
        if _role_grants(user, "inspections.view_patroltask"):
            items.append((_("My patrols"), reverse("inspections:patrol-mine")))
        items += [
            (_("Sites"), reverse("sites:site-list")),
            (_("Operators"), reverse("sites:operator-list")),
            (_("Map"), reverse("sites:site-map")),
            (_("Coverage"), reverse("sites:coverage")),
        ]
        if _role_grants(user, "assessments.view_assessmentperiod"):
            items.append((_("Assessment"), reverse("assessments:period-list")))
    if user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    items.append((_("API"), reverse("api-docs")))
    return {
        "nav_items": items,
        "is_county_admin": is_county_admin(user),
        # One COUNT per page, only when the header shows it.
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user=user)),
    }
