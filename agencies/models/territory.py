"""The county's territory: townships and villages, read by every role and changed by the commerce
bureau.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import has_role, is_county_admin, is_township_officer, township_scope
from anji_recycling.models import LocatedModel, ScopedQuerySet, TimeStampedModel

from ..choices import TownshipKind, UrbanRuralCode, UrbanRuralSource, VillageKind
from ..validators import (
    ANJI_COUNTY_CODE,
    TOWNSHIP_CODE_MESSAGE,
    VILLAGE_CODE_MESSAGE,
    validate_township_code,
    validate_village_code,
)


class CountyDataQuerySet(ScopedQuerySet):
    """Organisation data: every user with a role reads it; the commerce bureau changes it."""

    def visible_to(self, user):
        return self if has_role(user) else self.none()

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


class TownshipQuerySet(CountyDataQuerySet):
    def in_territory_of(self, user):
        """The townships whose data a user works on: their own for township staff, else all.
        (Every role reads the list of townships itself: see visible_to.)"""
        township_id = township_scope(user)
        townships = self.visible_to(user)
        return townships if township_id is None else townships.filter(pk=township_id)

    def offered_to(self, user):
        """A list filter offers the townships whose data the user works on."""
        return self.in_territory_of(user)


class Township(LocatedModel, TimeStampedModel):
    """乡镇（街道）：安吉县15个乡级行政区划之一。"""

    code = models.CharField(
        _("division code"), max_length=9, unique=True, validators=[validate_township_code]
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TownshipKind.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = TownshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="township_code_is_anji_division",
                condition=Q(code__regex=rf"^{ANJI_COUNTY_CODE}[0-9]{{3}}$"),
                violation_error_message=TOWNSHIP_CODE_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agencies:township-detail", args=[self.pk])


# The first year a township population can be recorded for: Anji's townships took their present
# form in the 2010s; older figures do not match today's boundaries.
FIRST_POPULATION_YEAR = 2000


class TownshipPopulation(TimeStampedModel):
    """乡镇（街道）人口：某年的人口及其出处，由商务局录入；驾驶舱的人均回收量以此计算。"""

    township = models.ForeignKey(
        Township,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="populations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(
        _("population"),
        validators=[MinValueValidator(1)],
        help_text=_("Residents (人口) of the township in that year."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_(
            "Where the figure comes from, e.g. the county's statistical yearbook or census; "
            "演示数据 for figures made up for a demonstration."
        ),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("township population")
        verbose_name_plural = _("township populations")
        ordering = ["township__code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year"],
                name="township_population_one_per_year",
                violation_error_message=_(
                    "This township's population for this year has been entered already: edit "
                    "that entry."
                ),
            ),
            models.CheckConstraint(
                name="township_population_positive",
                condition=Q(population__gte=1),
                violation_error_message=_("The population must be at least 1."),
            ),
        ]

    def __str__(self):
        return f"{self.township} {self.year}"

    def get_absolute_url(self):
        return self.township.get_absolute_url()

    def clean(self):
        if self.year is not None:
            last = timezone.localdate().year
            if not FIRST_POPULATION_YEAR <= self.year <= last:
                raise ValidationError(
                    {
                        "year": _("The year must lie between %(first)s and %(last)s.")
                        % {"first": FIRST_POPULATION_YEAR, "last": last}
                    }
                )
        if self.source is not None and not self.source.strip():
            raise ValidationError({"source": _("Say where the figure comes from.")})


class VillageQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not has_role(user):
            return self.none()
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(township_id=township_id)

    def editable_by(self, user):
        if is_county_admin(user):
            return self
        if is_township_officer(user):
            return self.filter(township_id=user.township_id)
        return self.none()


class Village(LocatedModel, TimeStampedModel):
    """行政村或社区：三级回收网点服务的最小区域单元。"""

    code = models.CharField(
        _("division code"), max_length=12, unique=True, validators=[validate_village_code]
    )
    name = models.CharField(_("official name"), max_length=60)
    short_name = models.CharField(_("short name"), max_length=40)
    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="villages"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=VillageKind.choices)
    urban_rural_code = models.CharField(
        _("urban-rural classification code"),
        max_length=3,
        choices=UrbanRuralCode.choices,
        blank=True,
    )
    urban_rural_source = models.CharField(
        _("source of the classification code"),
        max_length=16,
        choices=UrbanRuralSource.choices,
        blank=True,
    )
    is_active = models.BooleanField(
        _("current"),
        default=True,
        help_text=_("Cleared when the NBS list no longer carries this code."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("village or community")
        verbose_name_plural = _("villages and communities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="village_code_is_anji_division",
                condition=Q(code__regex=rf"^{ANJI_COUNTY_CODE}[0-9]{{6}}$"),
                violation_error_message=VILLAGE_CODE_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("agencies:village-update", args=[self.pk])

    def clean(self):
        if not self.township_id:
            raise ValidationError(
                {"township": _("A village or community must belong to a township.")}
            )
        if self.code and not self.code.startswith(self.township.code):
            raise ValidationError(
                {
                    "code": _(
                        "The code %(code)s does not lie in %(township)s: it must start "
                        "with %(prefix)s."
                    )
                    % {"code": self.code, "township": self.township, "prefix": self.township.code}
                }
            )
