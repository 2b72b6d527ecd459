"""Assessment periods (a quarter or a year scored under one scheme) and the computation runs that
score them.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import assessed_township_id, is_county_admin, reads_whole_county
from anji_recycling.leases import LeasedWork
from anji_recycling.models import ScopedQuerySet, TimeStampedModel

from ..choices import FROZEN_STATUSES, PeriodKind, PeriodStatus, RunState
from .schemes import AssessmentScheme


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
