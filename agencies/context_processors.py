"""What every page shows the commerce bureau about the organisation's own data."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.access import is_county_admin

from .selectors import years_to_enter


def calendar_reminder(request):
    """The years whose holidays the commerce bureau still has to enter (this year, and the next
    from 1 November), for its administrators only; one small query, when the page shows it."""
    user = getattr(request, "user", None)
    if user is None or not is_county_admin(user):
        return {}
    return {
        "calendar_years_to_enter": SimpleLazyObject(
            lambda: [str(year) for year in years_to_enter(today=timezone.localdate())]
        )
    }
