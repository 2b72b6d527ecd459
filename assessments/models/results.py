"""What a computation writes: each township's result in a period and its score per indicator."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import assessed_township_id, reads_whole_county
from anji_recycling.models import ScopedQuerySet

from ..choices import PERCENT_KINDS, PeriodStatus
from .periods import AssessmentPeriod
from .schemes import Indicator


class ResultQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """County readers: everything. A township: its own result, and every township's in
        a published period (the county ranking)."""
        if reads_whole_county(user):
            return self
        township_id = assessed_township_id(user)
        if township_id is None:
            return self.none()
        return self.filter(Q(township_id=township_id) | Q(period__status=PeriodStatus.PUBLISHED))

    def editable_by(self, user):
        return self.none()  # written by the computation only


class TownshipResult(models.Model):
    """乡镇考核结果：总分、名次和等级（计算时确定，锁定后不变）。"""

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="results", verbose_name=_("period")
    )
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="assessment_results",
    )
    total = models.DecimalField(_("total score"), max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"))
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    history = HistoricalRecords()
    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("township result")
        verbose_name_plural = _("township results")
        ordering = ["period", "rank", "township__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "township"], name="township_result_once_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.township}: {self.total}"


class OwnTownshipQuerySet(ScopedQuerySet):
    """Rows about one township: county readers see all, a township only its own."""

    township_field = "township_id"

    def visible_to(self, user):
        if reads_whole_county(user):
            return self
        township_id = assessed_township_id(user)
        if township_id is None:
            return self.none()
        return self.filter(**{self.township_field: township_id})

    def editable_by(self, user):
        return self.none()


class IndicatorScore(models.Model):
    """指标得分：计算值、原始得分、加权得分，以及据以计算的记录。"""

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="scores", verbose_name=_("period")
    )
    township = models.ForeignKey(
        "agencies.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="scores"
    )
    numerator = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("out of"), null=True, blank=True)
    value = models.DecimalField(
        _("measured value"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    raw_points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    weighted_points = models.DecimalField(_("weighted points"), max_digits=7, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The records the value was computed from: {"model": "app.model", "counted": [ids],
    # "not_counted": [ids], "excluded": [ids]}.
    evidence = models.JSONField(_("records used"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    history = HistoricalRecords(excluded_fields=["evidence"])
    objects = OwnTownshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["period", "township__code", "indicator__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "township", "indicator"],
                name="indicator_score_once_per_period_township",
            ),
        ]

    def __str__(self):
        return f"{self.township} {self.indicator}: {self.raw_points}"

    def get_absolute_url(self):
        return reverse("assessments:score-detail", args=[self.pk])

    @property
    def value_is_percent(self) -> bool:
        return self.indicator.kind in PERCENT_KINDS
