"""Business time: the schedule settings, the holiday arrangements and the calendar years marked
complete.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anji_recycling.models import TimeStampedModel

from ..choices import DayKind
from .territory import CountyDataQuerySet


class Schedule(models.Model):
    """业务时间设置：会议提醒提前天数、案件升级延迟、执照到期提醒等，由商务局在门户中维护。"""

    meeting_reminder_days = models.PositiveSmallIntegerField(
        _("remind invitees this many days before a meeting"), default=3
    )
    meeting_morning_hour = models.PositiveSmallIntegerField(
        _("hour of the meeting-day reminder"), default=8
    )
    escalation_delay_days = models.PositiveSmallIntegerField(
        _("working days past a stage deadline before the leading-group office is told"), default=3
    )
    licence_reminder_days = models.PositiveSmallIntegerField(
        _("remind townships this many days before a licence expires"), default=30
    )
    action_item_reminder_days = models.PositiveSmallIntegerField(
        _("remind agencies of an overdue action item every this many days"), default=7
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("schedule settings")
        verbose_name_plural = _("schedule settings")
        constraints = [
            models.CheckConstraint(name="schedule_is_a_single_row", condition=Q(pk=1)),
            models.CheckConstraint(
                name="schedule_morning_hour_is_an_hour",
                condition=Q(meeting_morning_hour__lte=23),
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "Schedule":
        return cls.objects.get_or_create(pk=1)[0]


# The years a holiday can be entered for: chinese_calendar starts with 2004; a notice is
# published late in the year before, so the next year is the furthest ahead that makes sense
# (one more is allowed for a notice published early).
FIRST_CALENDAR_YEAR = 2004
CALENDAR_YEARS_AHEAD = 2


def validate_calendar_year(year: int) -> None:
    last = timezone.localdate().year + CALENDAR_YEARS_AHEAD
    if not FIRST_CALENDAR_YEAR <= year <= last:
        raise ValidationError(
            _("Holidays can be entered for the years %(first)s to %(last)s only.")
            % {"first": FIRST_CALENDAR_YEAR, "last": last},
            code="calendar_year",
        )


class HolidayArrangement(TimeStampedModel):
    """节假日安排：国务院办公厅通知确定的一天，放假（休息日）或调休上班（工作日）；商务局录入，
    优先于 chinese-calendar 软件包。"""

    day = models.DateField(
        _("date"),
        unique=True,
        error_messages={"unique": _("This date has been entered already: edit that entry.")},
    )
    kind = models.CharField(_("kind of day"), max_length=8, choices=DayKind.choices)
    name = models.CharField(
        _("holiday"), max_length=50, help_text=_("As the notice names it, e.g. 春节 or 国庆节.")
    )
    notice_number = models.CharField(
        _("notice number"),
        max_length=60,
        help_text=_("The notice's document number (文号), e.g. 国办发明电〔2026〕7号."),
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
        verbose_name = _("holiday arrangement")
        verbose_name_plural = _("holiday arrangements")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()} {self.name}"

    def get_absolute_url(self):
        return f"{reverse('agencies:calendar')}?year={self.day.year}"

    def clean(self):
        if self.day:
            try:
                validate_calendar_year(self.day.year)
            except ValidationError as error:
                raise ValidationError({"day": error}) from error


class CalendarYear(models.Model):
    """节假日年度：某年的安排是否已全部录入（商务局确认），以及 chinese-calendar 何时提供该年。"""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(
        _("whole year entered"),
        default=False,
        help_text=_(
            "The county's table holds every holiday and make-up day of the year: deadlines "
            "in it are no longer provisional."
        ),
    )
    notice_number = models.CharField(_("notice number"), max_length=60, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    library_known_at = models.DateTimeField(
        _("in chinese-calendar since"),
        null=True,
        blank=True,
        help_text=_("When the portal first found the year in the chinese-calendar package."),
    )

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday year")
        verbose_name_plural = _("holiday years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                name="calendar_year_complete_names_notice",
                condition=Q(complete=False) | ~Q(notice_number=""),
                violation_error_message=_("Give the notice's document number."),
            ),
        ]

    def __str__(self):
        return str(self.year)
