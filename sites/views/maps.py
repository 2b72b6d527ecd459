"""The county map of sites: the site list's filters, and a map that follows them; the map
picker's WGS-84 preview."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import has_role, township_scope

from .. import selectors
from ..filters import SiteFilterSet
from ..forms import PositionPreviewForm


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


@login_required
@require_GET
def position_wgs84(request):
    """The map picker's preview of numbers copied from a map app: ?system=gcj02&latitude=…
    &longitude=… → the WGS-84 position the form will store ({"latitude": "30.659012",
    "longitude": "119.692345", "outside_county": ""}), converted by the form's own conversion;
    outside_county is the form's message for a place outside the county. Numbers that are not
    degrees or an unknown system: 400 ({"error": …, "errors": {field: [messages]}})."""
    form = PositionPreviewForm(request.GET)
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return JsonResponse(
            {"error": first, "errors": errors},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return JsonResponse(
        {
            "latitude": str(form.cleaned_data["latitude"]),
            "longitude": str(form.cleaned_data["longitude"]),
            "outside_county": form.outside_county(),
        },
        json_dumps_params={"ensure_ascii": False},
    )
