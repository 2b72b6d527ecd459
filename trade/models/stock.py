"""What leaves and what stays: shipments to processors, the stock each site declares at month end,
and the notes that clear a balance flag.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import (
    is_county_admin,
)
from anji_recycling.models import ScopedQuerySet, TimeStampedModel, entered_by_field
from anji_recycling.validators import validate_credit_code

from ..choices import BalanceFlagKind
from .common import (
    WEIGHT,
    grade_field,
    material_field,
    sites_editable,
    sites_scoped,
)


class ShipmentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return sites_scoped(self, user, "from_site")

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


class Shipment(TimeStampedModel):
    """出库（商品配送）：分拣中心发往利用企业的货物：企业名称、统一社会信用代码、所在地、品类、重量、日期。"""

    shipped_on = models.DateField(_("date"), db_index=True)
    from_site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("shipped from"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    processor_name = models.CharField(_("processing enterprise"), max_length=100)
    processor_credit_code = models.CharField(
        _("unified social credit code"), max_length=18, validators=[validate_credit_code]
    )
    processor_region = models.CharField(
        _("county or city"), max_length=50, help_text=_("Where the enterprise is, e.g. 湖州市.")
    )
    material = material_field()
    grade = grade_field()
    weight_kg = models.DecimalField(_("net weight (kg)"), **WEIGHT)
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = entered_by_field()

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ShipmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-shipped_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="shipment_weight_positive",
                condition=Q(weight_kg__gt=0),
                violation_error_message=_("The net weight must be more than 0 kg."),
            ),
        ]

    def __str__(self):
        return f"{self.shipped_on} {self.processor_name} {self.material.name} {self.weight_kg} kg"

    def get_absolute_url(self):
        return reverse("trade:shipment-list") + f"?from_site={self.from_site_id}"


class StockDeclarationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return sites_scoped(self, user, "site")

    def editable_by(self, user):
        return sites_editable(self, user, "site")


class StockDeclaration(TimeStampedModel):
    """月末库存：中转站或分拣中心申报的某月月末某品类库存（公斤），用于进出平衡核查。"""

    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="stock_declarations",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    material = material_field()
    stock_kg = models.DecimalField(_("stock at month end (kg)"), **WEIGHT)
    declared_by = entered_by_field(_("declared by"))

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = StockDeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("month-end stock")
        verbose_name_plural = _("month-end stocks")
        ordering = ["-month", "site", "material"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "month", "material"],
                name="stock_declaration_one_per_site_month_material",
                violation_error_message=_("This site has declared that month's stock already."),
            ),
            models.CheckConstraint(
                name="stock_declaration_not_negative",
                condition=Q(stock_kg__gte=0),
                violation_error_message=_("A stock cannot be negative."),
            ),
            models.CheckConstraint(
                name="stock_declaration_month_starts_on_the_first",
                condition=Q(month__day=1),
                violation_error_message=_("A month is given by its first day."),
            ),
        ]

    def __str__(self):
        return f"{self.site.name} {self.month:%Y-%m} {self.material.name} {self.stock_kg} kg"


class FlagClearanceQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return sites_scoped(self, user, "site")

    def editable_by(self, user):
        return sites_editable(self, user, "site")


class FlagClearance(models.Model):
    """进出平衡异常的核实说明：乡镇（街道）核实某站点某月的一项异常后填写的说明，保留变更记录。"""

    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="flag_clearances",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    kind = models.CharField(_("flag"), max_length=24, choices=BalanceFlagKind.choices)
    material = models.ForeignKey(
        "sites.Material",
        verbose_name=_("material"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    explanation = models.CharField(_("explanation"), max_length=300)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cleared_at = models.DateTimeField(_("cleared at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = FlagClearanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("cleared flag")
        verbose_name_plural = _("cleared flags")
        ordering = ["-month", "site"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "month", "kind", "material"],
                condition=Q(material__isnull=False),
                name="flag_clearance_once_per_material",
                violation_error_message=_("This flag has been cleared already."),
            ),
            models.UniqueConstraint(
                fields=["site", "month", "kind"],
                condition=Q(material__isnull=True),
                name="flag_clearance_once_per_site",
                violation_error_message=_("This flag has been cleared already."),
            ),
        ]

    def __str__(self):
        return f"{self.site.name} {self.month:%Y-%m} {self.get_kind_display()}"
