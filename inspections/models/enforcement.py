"""Enforcement actions (执法措施) recorded on a case by the lead or an assisting agency."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import EnforcementKind
from .cases import Case, CaseSideQuerySet


class EnforcementAction(models.Model):
    """执法措施：责令整改、警告、罚款、查封扣押、吊销许可、取缔、移送。"""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("measure"), max_length=32, choices=EnforcementKind.choices)
    # The problem the measure addresses: an assisting agency's must be one of its duties.
    category = models.ForeignKey(
        "agencies.ProblemCategory",
        verbose_name=_("problem addressed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("by agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    fine_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    referred_to = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()
    objects = CaseSideQuerySet.as_manager()

    class Meta:
        verbose_name = _("enforcement action")
        verbose_name_plural = _("enforcement actions")
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="enforcement_fine_has_amount",
                condition=~Q(kind="fine") | Q(fine_amount__gt=0),
                violation_error_message=_("A fine needs its amount."),
            ),
            models.CheckConstraint(
                name="enforcement_rectification_has_deadline",
                condition=~Q(kind="rectification_order") | Q(rectify_by__isnull=False),
                violation_error_message=_("A rectification order needs its deadline."),
            ),
            models.CheckConstraint(
                name="enforcement_referral_names_agency",
                condition=~Q(kind="referral") | Q(referred_to__isnull=False),
                violation_error_message=_("A referral names the agency it goes to."),
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.kind == EnforcementKind.FINE and not (self.fine_amount and self.fine_amount > 0):
            errors["fine_amount"] = _("A fine needs its amount.")
        if self.kind == EnforcementKind.RECTIFICATION_ORDER and not self.rectify_by:
            errors["rectify_by"] = _("A rectification order needs its deadline.")
        if self.kind == EnforcementKind.REFERRAL and not self.referred_to_id:
            errors["referred_to"] = _("A referral names the agency it goes to.")
        if errors:
            raise ValidationError(errors)
