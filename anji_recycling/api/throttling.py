"""API rate limits: per user and per anonymous client address, counted in the default cache
(production: the database cache table `portal_cache`, shared by every web replica)."""

from django.utils.translation import ngettext
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from accounts.services import client_ip


class PortalThrottleMixin:
    """The rate from the settings when the request comes (DRF reads it once, at import); an
    anonymous client counted by the address the login lockout and the security log use, not by
    DRF's own reading of X-Forwarded-For."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_ip(request) or super().get_ident(request)


class PortalUserRateThrottle(PortalThrottleMixin, UserRateThrottle):
    """Signed-in users (session or API token): `API_THROTTLE_USER` requests per user."""


class PortalAnonRateThrottle(PortalThrottleMixin, AnonRateThrottle):
    """Requests without a user: `API_THROTTLE_ANON` per client address."""


class PublicRateThrottle(PortalAnonRateThrottle):
    """The public API (no authentication): `API_THROTTLE_PUBLIC` per client address."""

    scope = "public"


class PublicReportRateThrottle(PortalAnonRateThrottle):
    """Residents' reports (举报), page and API alike: `PUBLIC_REPORT_RATE` per client address."""

    scope = "public_report"


DEVICE_COOKIE = "public_device"


class PublicReportDeviceThrottle(PortalThrottleMixin, SimpleRateThrottle):
    """Residents' reports per device: `PUBLIC_REPORT_DEVICE_RATE` per device cookie (signed,
    set by the report form). Without the cookie only the per-address limit counts."""

    scope = "public_report_device"

    def get_cache_key(self, request, view):
        device = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE)
        if not device:
            return None
        return self.cache_format % {"scope": self.scope, "ident": device}


def throttled_message(wait: int | None) -> str:
    seconds = max(int(wait or 1), 1)
    return ngettext(
        "Too many requests; please try again in %(seconds)d second.",
        "Too many requests; please try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
