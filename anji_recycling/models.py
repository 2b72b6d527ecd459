"""Cross-cutting model pieces: the timestamped base model, the scoped queryset and the field
that records who entered a row."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CoordinateField(models.DecimalField):
    """Decimal degrees to six places (about 0.1 m): longer input, such as a phone's GPS or an
    Excel float, is rounded rather than refused."""

    SIX_PLACES = Decimal("0.000001")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value if not isinstance(value, float) else str(value))
        if value is None or not value.is_finite():
            return value
        return value.quantize(self.SIX_PLACES, rounding=ROUND_HALF_UP)


class LocatedModel(models.Model):
    """A row with a position: WGS-84 / CGCS2000 latitude and longitude in decimal degrees."""

    latitude = CoordinateField(_("latitude"), null=True, blank=True)
    longitude = CoordinateField(_("longitude"), null=True, blank=True)

    class Meta:
        abstract = True


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which rows a user may see and which they may change.

    Every model users reach defines both methods; pages, admin, API and exports call them and
    nothing else decides scope.
    """

    def visible_to(self, user):
        raise NotImplementedError

    def editable_by(self, user):
        raise NotImplementedError

    def offered_to(self, user):
        """The rows a list filter's dropdown offers this user: those they may see, unless the
        model narrows it further (the townships: only the one a township's staff work on)."""
        return self.visible_to(user)


def entered_by_field(label=None):
    """Who entered (declared, published, recorded) the row: set by the service, never in a form."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label or _("entered by"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
