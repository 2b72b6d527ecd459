"""The county's organisation: territory, agencies, the leading group and the duty table."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.access import (
    has_role,
    is_agency_officer,
    is_county_admin,
    is_township_officer,
    township_scope,
)
from anji_recycling.models import LocatedModel, ScopedQuerySet, TimeStampedModel

from .choices import (
    ActionItemStatus,
    AgencyKind,
    AreaCondition,
    DayKind,
    LeadKind,
    MeetingKind,
    MeetingStatus,
    PostRole,
    Recurrence,
    TownshipKind,
    UrbanRuralCode,
    UrbanRuralSource,
    VillageKind,
)
from .validators import (
    ANJI_COUNTY_CODE,
    TOWNSHIP_CODE_MESSAGE,
    VILLAGE_CODE_MESSAGE,
    validate_township_code,
    validate_village_code,
)


class CountyDataQuerySet(ScopedQuerySet):
    """Organisation data: every user with a role reads it; the commerce bureau changes it."""

    def visible_to(self, user):
        return self if has_role(user) else self.none()

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


class TownshipQuerySet(CountyDataQuerySet):
    def in_territory_of(self, user):
        """The townships whose data a user works on: their own for township staff, else all.
        (Every role reads the list of townships itself: see visible_to.)"""
        township_id = township_scope(user)
        townships = self.visible_to(user)
        return townships if township_id is None else townships.filter(pk=township_id)


class Township(LocatedModel, TimeStampedModel):
    """乡镇（街道）：安吉县15个乡级行政区划之一。"""

    code = models.CharField(
        _("division code"), max_length=9, unique=True, validators=[validate_township_code]
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TownshipKind.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = TownshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="township_code_is_anji_division",
                condition=Q(code__regex=rf"^{ANJI_COUNTY_CODE}[0-9]{{3}}$"),
                violation_error_message=TOWNSHIP_CODE_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agencies:township-detail", args=[self.pk])


class VillageQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not has_role(user):
            return self.none()
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(township_id=township_id)

    def editable_by(self, user):
        if is_county_admin(user):
            return self
        if is_township_officer(user):
            return self.filter(township_id=user.township_id)
        return self.none()


class Village(LocatedModel, TimeStampedModel):
    """行政村或社区：三级回收网点服务的最小区域单元。"""

    code = models.CharField(
        _("division code"), max_length=12, unique=True, validators=[validate_village_code]
    )
    name = models.CharField(_("official name"), max_length=60)
    short_name = models.CharField(_("short name"), max_length=40)
    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="villages"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=VillageKind.choices)
    urban_rural_code = models.CharField(
        _("urban-rural classification code"),
        max_length=3,
        choices=UrbanRuralCode.choices,
        blank=True,
    )
    urban_rural_source = models.CharField(
        _("source of the classification code"),
        max_length=16,
        choices=UrbanRuralSource.choices,
        blank=True,
    )
    is_active = models.BooleanField(
        _("current"),
        default=True,
        help_text=_("Cleared when the NBS list no longer carries this code."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("village or community")
        verbose_name_plural = _("villages and communities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="village_code_is_anji_division",
                condition=Q(code__regex=rf"^{ANJI_COUNTY_CODE}[0-9]{{6}}$"),
                violation_error_message=VILLAGE_CODE_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("agencies:village-update", args=[self.pk])

    def clean(self):
        if not self.township_id:
            raise ValidationError(
                {"township": _("A village or community must belong to a township.")}
            )
        if self.code and not self.code.startswith(self.township.code):
            raise ValidationError(
                {
                    "code": _(
                        "The code %(code)s does not lie in %(township)s: it must start "
                        "with %(prefix)s."
                    )
                    % {"code": self.code, "township": self.township, "prefix": self.township.code}
                }
            )


class Agency(TimeStampedModel):
    """县级成员单位：附件所列的县政府办公室和十二个部门。"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    short_name = models.CharField(_("short name"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=32, choices=AgencyKind.choices, default=AgencyKind.AGENCY
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agencies:agency-detail", args=[self.pk])


class AgencyDuty(TimeStampedModel):
    """职责：附件“各部门具体职责”中的一条，属于一个部门或全体乡镇（街道）。"""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duties",
    )
    for_townships = models.BooleanField(
        _("for every township"),
        default=False,
        help_text=_("The duty of all townships and subdistricts (属地责任)."),
    )
    text = models.TextField(_("duty"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="agency_duty_belongs_to_agency_or_townships",
                condition=Q(agency__isnull=False, for_townships=False)
                | Q(agency__isnull=True, for_townships=True),
                violation_error_message=_(
                    "A duty belongs either to one agency or to every township."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.holder}：{self.text[:30]}"

    @property
    def holder(self) -> str:
        return str(self.agency) if self.agency_id else str(_("Every township (subdistrict)"))


class ProblemCategory(TimeStampedModel):
    """问题类别：巡查发现的问题按类别交由牵头部门处置。"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    examples = models.CharField(_("examples"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class DutyRule(TimeStampedModel):
    """职责分工表的一行：某类问题在某类区域由谁牵头处置，以及各环节时限（工作日）。"""

    category = models.ForeignKey(
        ProblemCategory,
        verbose_name=_("problem category"),
        on_delete=models.PROTECT,
        related_name="duty_rules",
    )
    area = models.CharField(
        _("area"), max_length=16, choices=AreaCondition.choices, default=AreaCondition.ANY
    )
    lead_kind = models.CharField(
        _("lead"), max_length=16, choices=LeadKind.choices, default=LeadKind.AGENCY
    )
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_rules",
    )
    register_days = models.PositiveSmallIntegerField(
        _("days to register (working days)"), default=1
    )
    dispatch_days = models.PositiveSmallIntegerField(
        _("days to dispatch (working days)"), default=1
    )
    handle_days = models.PositiveSmallIntegerField(_("days to handle (working days)"), default=10)
    verify_days = models.PositiveSmallIntegerField(_("days to verify (working days)"), default=3)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty rule")
        verbose_name_plural = _("duty table")
        ordering = ["category__sort_order", "area"]
        constraints = [
            models.CheckConstraint(
                name="duty_rule_agency_lead_names_agency",
                condition=Q(lead_kind="agency", lead_agency__isnull=False)
                | Q(lead_kind="township", lead_agency__isnull=True),
                violation_error_message=_(
                    "Choose the lead agency, or let the site's township lead (and then leave "
                    "the agency empty)."
                ),
            ),
            models.UniqueConstraint(
                fields=["category", "area"],
                condition=Q(is_active=True),
                name="duty_rule_one_rule_per_category_and_area",
                violation_error_message=_(
                    "This category already has a rule in force for this area."
                ),
            ),
            models.CheckConstraint(
                name="duty_rule_deadlines_positive",
                condition=Q(register_days__gte=1)
                & Q(dispatch_days__gte=1)
                & Q(handle_days__gte=1)
                & Q(verify_days__gte=1),
                violation_error_message=_("Every deadline is at least one working day."),
            ),
        ]

    def __str__(self):
        return f"{self.category} · {self.get_area_display()} → {self.lead_label}"

    def get_absolute_url(self):
        return reverse("agencies:dutyrule-update", args=[self.pk])

    @property
    def lead_label(self) -> str:
        if self.lead_kind == LeadKind.TOWNSHIP:
            return str(_("The site's township"))
        return str(self.lead_agency) if self.lead_agency_id else "—"

    def clean(self):
        if self.lead_kind == LeadKind.AGENCY and not self.lead_agency_id:
            raise ValidationError({"lead_agency": _("A duty rule must name its lead agency.")})
        if self.lead_kind == LeadKind.TOWNSHIP and self.lead_agency_id:
            raise ValidationError(
                {"lead_agency": _("When the township leads, leave the lead agency empty.")}
            )
        if not self.is_active or not self.category_id:
            return
        others = DutyRule.objects.filter(category_id=self.category_id, is_active=True).exclude(
            pk=self.pk
        )
        if self.area == AreaCondition.ANY:
            clash = others.exists()
        else:
            clash = others.filter(area__in=[AreaCondition.ANY, self.area]).exists()
        if clash:
            raise ValidationError(
                {
                    "area": _(
                        "Another rule in force for %(category)s already covers this area; "
                        "end it first or choose another area."
                    )
                    % {"category": self.category}
                }
            )


class LeadingGroupPost(TimeStampedModel):
    """领导小组职位：组长、副组长、成员（每个部门、每个乡镇一位）和办公室主任。"""

    role = models.CharField(_("role in the group"), max_length=32, choices=PostRole.choices)
    title = models.CharField(_("post"), max_length=100)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    township = models.ForeignKey(
        Township,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("leading-group post")
        verbose_name_plural = _("leading-group posts")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="leading_group_post_not_both_agency_and_township",
                condition=Q(agency__isnull=True) | Q(township__isnull=True),
                violation_error_message=_("A post represents an agency or a township, not both."),
            ),
        ]

    def __str__(self):
        if self.unit_label:
            return f"{self.get_role_display()}（{self.unit_label}）"
        return f"{self.get_role_display()}：{self.title}"

    @property
    def unit_label(self) -> str:
        if self.agency_id:
            return str(self.agency.short_name)
        if self.township_id:
            return str(self.township)
        return ""


class LeadingGroupMembership(TimeStampedModel):
    """领导小组成员任职：某人在某一职位的任期（起止日期）。"""

    post = models.ForeignKey(
        LeadingGroupPost,
        verbose_name=_("post"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    person_name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    job_title = models.CharField(_("position held"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    start_date = models.DateField(pgettext_lazy("membership", "from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("leading-group membership")
        verbose_name_plural = _("leading-group memberships")
        ordering = ["post__sort_order", "-start_date"]
        constraints = [
            models.CheckConstraint(
                name="leading_group_membership_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(end_date__isnull=True),
                name="leading_group_membership_one_open_per_post",
                violation_error_message=_(
                    "This post already has a current holder: end that membership first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person_name}（{self.post}）"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A membership cannot end before it starts.")})
        if not self.post_id or not self.start_date:
            return
        overlapping = (
            LeadingGroupMembership.objects.filter(post_id=self.post_id)
            .exclude(pk=self.pk)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        )
        if self.end_date:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        if overlapping.exists():
            raise ValidationError(_("This period overlaps another holder of the same post."))


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


class MeetingQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self if has_role(user) else self.none()

    def editable_by(self, user):
        return self if is_county_admin(user) else self.none()


class Meeting(TimeStampedModel):
    """联席会议：领导小组定期召开，记录议程、出席、纪要、决定和督办事项。"""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200)
    convener = models.CharField(_("convener"), max_length=100)
    agenda = models.TextField(_("agenda"), blank=True)
    invited_agencies = models.ManyToManyField(
        Agency, verbose_name=_("invited agencies"), blank=True, related_name="meetings"
    )
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited people"),
        blank=True,
        related_name="meeting_invitations",
    )
    recurrence = models.CharField(
        _("recurs"), max_length=16, choices=Recurrence.choices, blank=True
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_meeting",
    )
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agencies:meeting-detail", args=[self.pk])


class MeetingAttendance(models.Model):
    """出席记录：某单位（或个人）是否出席会议。"""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True
    )
    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, null=True, blank=True
    )
    person_name = models.CharField(_("name"), max_length=50, blank=True)
    present = models.BooleanField(_("present"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.meeting}: {self.agency or self.township or self.person_name}"


class ActionItemQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self if has_role(user) else self.none()

    def editable_by(self, user):
        if is_county_admin(user):
            return self
        if is_agency_officer(user):
            return self.filter(agency_id=user.agency_id)
        return self.none()


class ActionItem(TimeStampedModel):
    """督办事项：会议交办给某部门、有完成期限的事项。"""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="action_items"
    )
    description = models.TextField(_("task"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.agency.short_name}：{self.description[:30]}"

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionItemStatus.OPEN and self.due_on < timezone.localdate()


class ActionItemUpdate(models.Model):
    """督办事项进展：部门报告的进展。"""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)
    text = models.TextField(_("progress"))

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text[:40]
