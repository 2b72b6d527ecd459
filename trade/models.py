"""The recycling market that flows through the three-tier network: material grades, transfers
up the tiers, the reference price board, settlements, shipments to processors and the stock
each site declares at month end."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import has_role, is_county_admin, is_township_officer, township_scope
from anji_recycling.models import ScopedQuerySet, TimeStampedModel
from anji_recycling.validators import validate_credit_code

from .choices import BalanceFlagKind, SellerTier, SettlementState, TransferState

WEIGHT = {"max_digits": 12, "decimal_places": 2}  # kg
PRICE = {"max_digits": 10, "decimal_places": 2}  # 元/吨
AMOUNT = {"max_digits": 14, "decimal_places": 2}  # 元


def _sites_scoped(queryset, user, *fields):
    """Rows tied to sites: township staff see those whose site (any of `fields`) lies in
    their township; every other role sees the county."""
    if not has_role(user):
        return queryset.none()
    township_id = township_scope(user)
    if township_id is None:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__township_id": township_id})
    return queryset.filter(condition)


def _sites_editable(queryset, user, *fields):
    """The commerce bureau changes every row; a township officer those of its own sites."""
    if is_county_admin(user):
        return queryset
    if not is_township_officer(user):
        return queryset.none()
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__township_id": user.township_id})
    return queryset.filter(condition)


class CountyMarketQuerySet(ScopedQuerySet):
    """Market reference data (grades, the price board): everyone with a role reads it; the
    commerce bureau changes it."""

    def visible_to(self, user):
        return self if has_role(user) else self.none()

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


class MaterialGrade(models.Model):
    """品级：回收品类下的细分等级，如废纸下的黄板纸、书报纸、花纸。"""

    material = models.ForeignKey(
        "sites.Material",
        verbose_name=_("material"),
        on_delete=models.PROTECT,
        related_name="grades",
    )
    name = models.CharField(_("name"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()
    objects = CountyMarketQuerySet.as_manager()

    class Meta:
        verbose_name = _("material grade")
        verbose_name_plural = _("material grades")
        ordering = ["material__sort_order", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "name"],
                name="material_grade_name_unique_per_material",
                violation_error_message=_("This material already has a grade of that name."),
            ),
        ]

    def __str__(self):
        return f"{self.material.name}·{self.name}"


def material_field():
    return models.ForeignKey(
        "sites.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )


def grade_field():
    """The grade within the material, when the sale names one."""
    return models.ForeignKey(
        MaterialGrade,
        verbose_name=_("grade"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


def entered_by_field(label=None):
    """Who entered (declared, published) the row: set by the service, never in a form."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label or _("entered by"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )


class SettlementQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return _sites_scoped(self, user, "payer", "payee")

    def editable_by(self, user):
        return _sites_editable(self, user, "payer")


class Settlement(TimeStampedModel):
    """资金结算：收货站点（付款方）与交售站点（收款方）之间一个期间的一批交售，付款日期和凭证号。"""

    payer = models.ForeignKey(
        "sites.Site",
        verbose_name=_("paying site"),
        on_delete=models.PROTECT,
        related_name="settlements_paid",
    )
    payee = models.ForeignKey(
        "sites.Site",
        verbose_name=_("paid site"),
        on_delete=models.PROTECT,
        related_name="settlements_received",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    amount = models.DecimalField(_("amount (yuan)"), **AMOUNT)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SettlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="settlement_period_ends_after_start",
                condition=Q(period_end__gte=models.F("period_start")),
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="settlement_amount_not_negative",
                condition=Q(amount__gte=0),
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                name="settlement_between_two_sites",
                condition=~Q(payer=models.F("payee")),
                violation_error_message=_("A site does not settle with itself."),
            ),
        ]

    def __str__(self):
        return _("Settlement %(payer)s → %(payee)s, %(start)s to %(end)s") % {
            "payer": self.payer.name,
            "payee": self.payee.name,
            "start": self.period_start.isoformat(),
            "end": self.period_end.isoformat(),
        }

    def get_absolute_url(self):
        return reverse("trade:settlement-detail", args=[self.pk])

    @property
    def status(self) -> str:
        return SettlementState.PAID if self.paid_on else SettlementState.UNPAID


class TransferQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return _sites_scoped(self, user, "from_site", "to_site")

    def editable_by(self, user):
        return _sites_editable(self, user, "from_site", "to_site")


class Transfer(TimeStampedModel):
    """交售（流转）：网点交售给中转站、中转站交售给分拣中心的一笔货物：日期、品类、净重、单价、金额。"""

    transferred_on = models.DateField(_("date"), db_index=True)
    from_site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("delivered by"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    material = material_field()
    grade = grade_field()
    weight_kg = models.DecimalField(_("net weight (kg)"), **WEIGHT)
    unit_price = models.DecimalField(_("unit price (yuan/t)"), **PRICE)
    amount = models.DecimalField(_("amount (yuan)"), **AMOUNT, editable=False)
    reason = models.CharField(
        _("reason for an exception"),
        max_length=200,
        blank=True,
        help_text=_(
            "Needed when the receiving site is not the one the site delivers to, or the price is 0."
        ),
    )
    weighbridge_ticket = models.CharField(
        _("weighbridge ticket"),
        max_length=40,
        blank=True,
        help_text=_("The number on the weighbridge's ticket (磅单号), when there is one."),
    )
    settlement = models.ForeignKey(
        Settlement,
        verbose_name=_("settlement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="transfers",
    )
    entered_by = entered_by_field()

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-transferred_on", "-pk"]
        indexes = [
            models.Index(fields=["to_site", "transferred_on"], name="transfer_to_site_date"),
            models.Index(fields=["from_site", "transferred_on"], name="transfer_from_site_date"),
        ]
        constraints = [
            models.CheckConstraint(
                name="transfer_weight_positive",
                condition=Q(weight_kg__gt=0),
                violation_error_message=_("The net weight must be more than 0 kg."),
            ),
            models.CheckConstraint(
                name="transfer_price_not_negative",
                condition=Q(unit_price__gte=0),
                violation_error_message=_("A price cannot be negative."),
            ),
            models.CheckConstraint(
                name="transfer_free_only_with_reason",
                condition=Q(unit_price__gt=0) | ~Q(reason=""),
                violation_error_message=_("A price of 0 needs a reason."),
            ),
            models.UniqueConstraint(
                fields=["to_site", "weighbridge_ticket"],
                condition=~Q(weighbridge_ticket=""),
                name="transfer_ticket_once_per_receiving_site",
                violation_error_message=_(
                    "The receiving site has recorded this weighbridge ticket already."
                ),
            ),
            models.CheckConstraint(
                name="transfer_between_two_sites",
                condition=~Q(from_site=models.F("to_site")),
                violation_error_message=_("A site does not deliver to itself."),
            ),
        ]

    def __str__(self):
        return _("%(date)s %(from)s → %(to)s %(material)s %(weight)s kg") % {
            "date": self.transferred_on.isoformat(),
            "from": self.from_site.name,
            "to": self.to_site.name,
            "material": self.material.name,
            "weight": self.weight_kg,
        }

    def get_absolute_url(self):
        return reverse("trade:transfer-detail", args=[self.pk])

    @property
    def status(self) -> str:
        return TransferState.SETTLED if self.settlement_id else TransferState.OPEN


SAME_DAY_PRICE = _("A price for this material, grade and sale is already in force from that day.")


class PriceEntry(models.Model):
    """指导价：分拣中心或商务局发布的某品类（品级）、某层级交售的参考收购价（元/吨），自某日起执行。"""

    material = material_field()
    grade = grade_field()
    seller_tier = models.PositiveSmallIntegerField(_("sale"), choices=SellerTier.choices)
    price = models.DecimalField(_("reference price (yuan/t)"), **PRICE)
    effective_from = models.DateField(_("in force from"))
    published_by = entered_by_field(_("published by"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CountyMarketQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference price")
        verbose_name_plural = _("reference prices")
        ordering = ["material__sort_order", "seller_tier", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "grade", "seller_tier", "effective_from"],
                condition=Q(grade__isnull=False),
                name="price_entry_one_per_material_grade_tier_day",
                violation_error_message=SAME_DAY_PRICE,
            ),
            models.UniqueConstraint(
                fields=["material", "seller_tier", "effective_from"],
                condition=Q(grade__isnull=True),
                name="price_entry_one_per_material_tier_day",
                violation_error_message=SAME_DAY_PRICE,
            ),
            models.CheckConstraint(
                name="price_entry_price_positive",
                condition=Q(price__gt=0),
                violation_error_message=_("A reference price must be more than 0."),
            ),
        ]

    def __str__(self):
        what = self.grade or self.material
        tier = self.get_seller_tier_display()
        return f"{what} {tier} {self.price} 元/吨（{self.effective_from}）"


class ShipmentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return _sites_scoped(self, user, "from_site")

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
        return _sites_scoped(self, user, "site")

    def editable_by(self, user):
        return _sites_editable(self, user, "site")


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
        return _sites_scoped(self, user, "site")

    def editable_by(self, user):
        return _sites_editable(self, user, "site")


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
