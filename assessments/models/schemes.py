"""Assessment schemes: a versioned set of weighted indicators and the grade bands that name a
total.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import assessed_township_id, is_county_admin, reads_whole_county
from anji_recycling.models import ScopedQuerySet, TimeStampedModel

from ..choices import FROZEN_STATUSES, MANUAL_KINDS, IndicatorKind


class SchemeDataQuerySet(ScopedQuerySet):
    """Schemes, indicators and grade bands: public to everyone in the assessment, edited by
    the commerce bureau."""

    def visible_to(self, user):
        if reads_whole_county(user) or assessed_township_id(user) is not None:
            return self
        return self.none()

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


class AssessmentScheme(TimeStampedModel):
    """考核方案：指标、权重、满分和等级划分；用于已锁定考核期的版本不再修改，另存新版本。"""

    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("The same for every version of one scheme."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=100)
    # The agency whose check this is (农业农村局 for 美丽乡村长效管理, 生态文明建设督导组 for the
    # eco-civilisation responsibility check), by its code: only its assessors enter deductions.
    owner_agency_code = models.SlugField(
        _("assessing agency (code)"),
        max_length=32,
        blank=True,
        help_text=_("Empty: every assessor enters deductions."),
    )
    total_points = models.DecimalField(
        _("total points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    objection_days = models.PositiveSmallIntegerField(
        _("objection window (working days after publication)"), default=5
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SchemeDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="assessment_scheme_one_row_per_version"
            ),
            models.CheckConstraint(
                name="assessment_scheme_total_positive", condition=Q(total_points__gt=0)
            ),
        ]

    def __str__(self):
        return f"{self.name}（v{self.version}）"

    def get_absolute_url(self):
        return reverse("assessments:scheme-detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        """Used by a locked or published period: its definition is what that period was
        scored with, so it is revised as a new version instead."""
        return self.periods.filter(status__in=FROZEN_STATUSES).exists()


class Indicator(models.Model):
    """考核指标：权重（计入总分的分值）、满分，以及由平台数据计算或由考核组扣分。"""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("scheme"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    kind = models.CharField(_("computed as"), max_length=32, choices=IndicatorKind.choices)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight (points in the total)"), max_digits=6, decimal_places=2)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=6,
        decimal_places=2,
        help_text=_("The indicator's own scale; its share of the total is its weight."),
    )
    points_per_item = models.DecimalField(
        _("deduction per item"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For illegal points: points deducted for each point remaining."),
    )
    description = models.TextField(_("how it is scored"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = SchemeDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "kind"],
                condition=~Q(kind="assessor_deductions"),
                name="indicator_one_computed_kind_per_scheme",
                violation_error_message=_("A scheme computes each kind of indicator once."),
            ),
            models.CheckConstraint(
                name="indicator_points_positive",
                condition=Q(max_points__gt=0) & Q(weight__gte=0),
                violation_error_message=_(
                    "The maximum points must be above zero and the weight not below zero."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_manual(self) -> bool:
        return self.kind in MANUAL_KINDS


class GradeBand(models.Model):
    """等级：总分达到下限即得该等级（如 优秀 ≥90、良好 ≥80、合格 ≥60）。"""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("scheme"),
        on_delete=models.CASCADE,
        related_name="grade_bands",
    )
    name = models.CharField(_("grade"), max_length=20)
    min_score = models.DecimalField(_("from score"), max_digits=6, decimal_places=2)

    history = HistoricalRecords()
    objects = SchemeDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["scheme", "-min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "min_score"],
                name="grade_band_one_per_threshold",
                violation_error_message=_("Two grades cannot start at the same score."),
            ),
            models.UniqueConstraint(
                fields=["scheme", "name"],
                name="grade_band_unique_name",
                violation_error_message=_("Each grade has its own name."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ≥{self.min_score}"
