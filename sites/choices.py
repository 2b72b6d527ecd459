from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SiteTier(models.IntegerChoices):
    SORTING_CENTRE = 1, _("County sorting centre")
    TRANSFER_STATION = 2, _("Township transfer and sorting station")
    COLLECTION_POINT = 3, _("Collection point")


class SiteStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    RECTIFYING = "rectifying", _("Rectifying")
    SUSPENDED = "suspended", _("Suspended")
    BANNED = "banned", _("Banned")
    CLOSED = "closed", pgettext_lazy("site status", "Closed")
    ILLEGAL = "illegal", _("Illegal point")


# The one table of status changes: from each status, the statuses it may move to.
STATUS_CHANGES = {
    SiteStatus.PLANNED: {SiteStatus.UNDER_CONSTRUCTION, SiteStatus.OPERATING, SiteStatus.CLOSED},
    SiteStatus.UNDER_CONSTRUCTION: {SiteStatus.OPERATING, SiteStatus.PLANNED, SiteStatus.CLOSED},
    SiteStatus.OPERATING: {
        SiteStatus.RECTIFYING,
        SiteStatus.SUSPENDED,
        SiteStatus.BANNED,
        SiteStatus.CLOSED,
    },
    SiteStatus.RECTIFYING: {
        SiteStatus.OPERATING,
        SiteStatus.SUSPENDED,
        SiteStatus.BANNED,
        SiteStatus.CLOSED,
    },
    SiteStatus.SUSPENDED: {
        SiteStatus.OPERATING,
        SiteStatus.RECTIFYING,
        SiteStatus.BANNED,
        SiteStatus.CLOSED,
    },
    SiteStatus.BANNED: {SiteStatus.CLOSED},
    SiteStatus.CLOSED: {SiteStatus.PLANNED},
    # An illegal point is banned, or regularised: it then rectifies before it may operate.
    SiteStatus.ILLEGAL: {SiteStatus.BANNED, SiteStatus.RECTIFYING, SiteStatus.CLOSED},
}

# Statuses of points found by enforcement rather than registered: they may lack a village.
UNREGISTERED_STATUSES = frozenset({SiteStatus.ILLEGAL, SiteStatus.BANNED, SiteStatus.CLOSED})

# Statuses in which a site serves its area.
SERVING_STATUSES = frozenset({SiteStatus.OPERATING})


class VenueType(models.TextChoices):
    COMMUNITY = "community", _("Community")
    MALL = "mall", _("Shopping mall")
    SCHOOL = "school", _("School")
    VILLAGE = "village", _("Village")
    TRADING_MARKET = "trading_market", _("Trading market")
    OTHER = "other", _("Other")


class OperatorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual business")
