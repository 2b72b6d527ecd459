"""The county map of sites: the site list's filters, and a map that follows them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import has_role, township_scope

from .. import selectors
from ..filters import SiteFilterSet


@login_required
def site_map(request):
    """The sites the user sees (the county, or their township) on a map, filtered like the list.
    The map reads the API's GeoJSON layer with the same query string; maps.js reloads it as the
    filters change."""
    user = request.user
    if not has_role(user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))
    located = selectors.sites_for_map(user=user)
    context = {
        "filter": SiteFilterSet(request.GET, queryset=located, request=request),
        "scope_township": user.township if township_scope(user) is not None else None,
        "has_located_sites": located.exists(),
        "unlocated_count": selectors.sites_for_list(user=user)
        .filter(latitude__isnull=True)
        .count(),
    }
    return render(request, "sites/site_map.html", context)
