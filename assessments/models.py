"""Township assessment (考核): schemes of weighted indicators, periods scored per township,
assessors' deductions with evidence, and townships' objections to them."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import (
    assessed_township_id,
    enters_deductions,
    is_county_admin,
    reads_whole_county,
)
from anji_recycling.leases import LeasedWork
from anji_recycling.models import ScopedQuerySet, TimeStampedModel

from .choices import (
    FROZEN_STATUSES,
    MANUAL_KINDS,
    PERCENT_KINDS,
    DeductionState,
    IndicatorKind,
    ObjectionState,
    PeriodKind,
    PeriodStatus,
    RunState,
)


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


class PeriodQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if reads_whole_county(user) or assessed_township_id(user) is not None:
            return self
        return self.none()

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, following - dt.timedelta(days=1)


class AssessmentPeriod(TimeStampedModel):
    """考核期：一个季度或一年，按某一版本的考核方案为各乡镇（街道）计分、审核、锁定、公布。"""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("scheme"),
        on_delete=models.PROTECT,
        related_name="periods",
    )
    kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    start_date = models.DateField(_("from"), editable=False)
    end_date = models.DateField(_("last day"), editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    needs_recompute = models.BooleanField(
        _("changed since computed"),
        default=False,
        help_text=_("Deductions or objections changed after the last computation."),
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The last day an objection may be filed: the scheme's working days after publication,
    # set on publishing and recomputed when the working-day calendar changes.
    objection_deadline = models.DateField(_("objections until"), null=True, blank=True)
    objection_deadline_provisional = models.BooleanField(
        _("objection deadline provisional"), default=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["-start_date", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                name="assessment_period_quarter_only_for_quarters",
                condition=(Q(kind="quarter") & Q(quarter__gte=1) & Q(quarter__lte=4))
                | (Q(kind="year") & Q(quarter__isnull=True)),
                violation_error_message=_("A quarter is numbered 1 to 4; a year has no quarter."),
            ),
            models.UniqueConstraint(
                fields=["scheme", "kind", "start_date"],
                name="assessment_period_once_per_scheme",
                violation_error_message=_("This scheme already has this period."),
            ),
        ]

    def __str__(self):
        if self.kind == PeriodKind.QUARTER:
            return _("%(year)s Q%(quarter)s") % {"year": self.year, "quarter": self.quarter}
        return _("%(year)s (year)") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("assessments:period-detail", args=[self.pk])

    def date_range(self) -> tuple[dt.date, dt.date]:
        """The first and last day of the period (the service stores them on the row)."""
        if self.kind == PeriodKind.QUARTER:
            return quarter_bounds(self.year, self.quarter)
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes in Anji's time zone: [start, end) ."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start_date, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.end_date + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == PeriodStatus.PUBLISHED


class ComputationRun(LeasedWork):
    """考核计算任务：后台计算一个考核期，显示进度。"""

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="runs", verbose_name=_("period")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=RunState.choices, default=RunState.PENDING
    )
    total = models.PositiveIntegerField(_("steps"), default=0)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("computation run")
        verbose_name_plural = _("computation runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.period} #{self.pk}"

    def get_absolute_url(self):
        return reverse("assessments:run-status", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.state == RunState.DONE:
            return 100
        return int(100 * self.done / (self.total or 1))

    @property
    def is_working(self) -> bool:
        return self.state in (RunState.PENDING, RunState.RUNNING)


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


def deduction_evidence_path(instance, filename):
    return f"assessments/{timezone.localdate():%Y/%m}/{filename}"


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
