"""Reads of the site registry. Every selector starts from `visible_to(user)`."""

from django.db.models import Prefetch

from .choices import SiteTier
from .models import Material, Operator, Site, SiteStatusChange, _township_editable


def sites_for_list(*, user):
    """Sites with what a list, an export or the API shows, in a fixed number of queries."""
    return (
        Site.objects.visible_to(user)
        .select_related("township", "village", "operator", "parent")
        .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("sort_order")))
    )


def sites_for_map(*, user):
    """Only what a map marker needs: no joins beyond the township."""
    return (
        Site.objects.visible_to(user)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("township")
        .only(
            "pk",
            "code",
            "name",
            "tier",
            "status",
            "latitude",
            "longitude",
            "address",
            "township__name",
        )
    )


def townships_editable_by(*, user):
    """The townships in which a user may register and change sites and operators."""
    from agencies.models import Township

    return _township_editable(Township.objects.all(), user, "pk")


def operators_for_list(*, user):
    return Operator.objects.visible_to(user).select_related("township")


def site_timeline(*, site):
    return SiteStatusChange.objects.filter(site=site).select_related("actor").order_by("-at", "-pk")


def parent_candidates(*, user):
    """Sites a user may name as the one a site delivers to: the transfer stations they can
    see, and the county sorting centre, which serves every township."""
    stations = Site.objects.visible_to(user).filter(tier=SiteTier.TRANSFER_STATION)
    centres = Site.objects.filter(tier=SiteTier.SORTING_CENTRE)
    return (stations | centres).select_related("township").order_by("tier", "code")
