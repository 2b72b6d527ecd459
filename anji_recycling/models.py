"""Cross-cutting model pieces: the timestamped base model and the scoped queryset."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class LocatedModel(models.Model):
    """A row with a position: WGS-84 / CGCS2000 latitude and longitude in decimal degrees."""

    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

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
