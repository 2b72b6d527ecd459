"""The flows of recyclables: settlements of a site with those who sell to it, and transfers up the
tiers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anji_recycling.models import ScopedQuerySet, TimeStampedModel, entered_by_field

from ..choices import SettlementState, TransferState
from .common import (
    AMOUNT,
    PRICE,
    WEIGHT,
    grade_field,
    material_field,
    sites_editable,
    sites_scoped,
)


class SettlementQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return sites_scoped(self, user, "payer", "payee")

    def editable_by(self, user):
        return sites_editable(self, user, "payer")


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
        return sites_scoped(self, user, "from_site", "to_site")

    def editable_by(self, user):
        return sites_editable(self, user, "from_site", "to_site")


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
            # Open work: the dashboard's "unsettled for more than N days" reads these only.
            models.Index(
                fields=["transferred_on"],
                condition=Q(settlement__isnull=True),
                name="transfer_unsettled_date",
            ),
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
