"""Assessors' deductions with their evidence, and the townships' objections to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import enters_deductions, is_county_admin
from anji_recycling.models import TimeStampedModel
from anji_recycling.uploads import MonthlyPath

from ..choices import DeductionState, ObjectionState
from .periods import AssessmentPeriod
from .results import OwnTownshipQuerySet
from .schemes import Indicator


class DeductionQuerySet(OwnTownshipQuerySet):
    def editable_by(self, user):
        return self if enters_deductions(user) else self.none()

    def in_force(self):
        return self.filter(state=DeductionState.ACTIVE)


class Deduction(TimeStampedModel):
    """考核扣分：考核组（督导组、农业农村局）对某乡镇某考核期的扣分，附理由和证据。"""

    period = models.ForeignKey(
        AssessmentPeriod,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="deductions",
    )
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="assessment_deductions",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="deductions",
    )
    points = models.DecimalField(_("points deducted"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=16, choices=DeductionState.choices, default=DeductionState.ACTIVE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DeductionQuerySet.as_manager()

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="deduction_points_positive",
                condition=Q(points__gt=0),
                violation_error_message=_("A deduction is more than zero points."),
            ),
        ]

    def __str__(self):
        return f"{self.township} {self.period} −{self.points}"

    def get_absolute_url(self):
        return reverse("assessments:deduction-detail", args=[self.pk])


deduction_evidence_path = MonthlyPath("assessments")


class DeductionEvidence(models.Model):
    """扣分证据：照片或文件。"""

    deduction = models.ForeignKey(
        Deduction, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("deduction")
    )
    file = models.FileField(_("file"), upload_to=deduction_evidence_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deduction evidence")
        verbose_name_plural = _("deduction evidence")
        ordering = ["pk"]

    def __str__(self):
        return self.file.name

    def get_absolute_url(self):
        return reverse("assessments:evidence-file", args=[self.pk])


class ObjectionQuerySet(OwnTownshipQuerySet):
    township_field = "deduction__township_id"

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


class Objection(models.Model):
    """异议：乡镇对一项扣分提出异议并说明理由，商务局采纳或不予采纳。"""

    deduction = models.ForeignKey(
        Deduction, on_delete=models.PROTECT, related_name="objections", verbose_name=_("deduction")
    )
    reason = models.TextField(_("reason"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=16, choices=ObjectionState.choices, default=ObjectionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    history = HistoricalRecords()
    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            # One objection per deduction: while it waits, and after it was rejected (an
            # accepted one voids the deduction, so nothing is left to object to).
            models.UniqueConstraint(
                fields=["deduction"],
                condition=Q(state__in=["pending", "rejected"]),
                name="objection_once_per_deduction",
                violation_error_message=_("This deduction already has an objection."),
            ),
        ]

    def __str__(self):
        return f"{self.deduction}: {self.get_state_display()}"
