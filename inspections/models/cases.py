"""Cases (案件): the problems a patrol finds, routed by the duty table to a lead agency, with
their timeline, the yearly case numbers, the escalations of overdue stages, and the queryset of
the rows that belong to one case (requests, enforcement actions)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.access import (
    has_role,
    is_agency_officer,
    is_association,
    is_county_admin,
    is_township_officer,
    township_scope,
)
from agencies.choices import AreaKind
from anji_recycling.models import ScopedQuerySet, TimeStampedModel

from ..choices import OPEN_STATUSES, CaseEventKind, CaseStatus, EscalationLevel, Stage


def open_case_condition() -> Q:
    """The condition `CaseQuerySet.open()` filters on, for counting inside an aggregate."""
    return Q(status__in=OPEN_STATUSES)


def overdue_case_condition(*, today) -> Q:
    """The condition `CaseQuerySet.overdue()` filters on: open and past the stage's deadline."""
    return open_case_condition() & Q(stage_deadline__lt=today)


class CaseQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not has_role(user):
            return self.none()
        if is_association(user):
            return self.none()
        if is_agency_officer(user):
            # A semi-join on the assisting agencies rather than a join: each case once, no
            # DISTINCT, so counts and GROUP BYs over the scope stay right and fast.
            assisted = Case.assisting_agencies.through.objects.filter(agency_id=user.agency_id)
            return self.filter(
                Q(lead_agency_id=user.agency_id) | Q(pk__in=assisted.values("case_id"))
            )
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(township_id=township_id)

    def editable_by(self, user):
        """Cases the user may act on at all; which action is theirs is the state machine's."""
        if is_county_admin(user):
            return self
        if is_township_officer(user):
            return self.filter(township_id=user.township_id)
        if is_agency_officer(user):
            return self.filter(lead_agency_id=user.agency_id)
        return self.none()

    def open(self):
        return self.filter(open_case_condition())

    def overdue(self, *, today=None):
        return self.filter(overdue_case_condition(today=today or timezone.localdate()))


class Case(TimeStampedModel):
    """案件：巡查发现的问题，按职责分工表交牵头部门处置，属地乡镇（街道）共同负责。"""

    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    site = models.ForeignKey(
        "sites.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="cases"
    )
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    village = models.ForeignKey(
        "agencies.Village",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    category = models.ForeignKey(
        "agencies.ProblemCategory",
        verbose_name=_("problem category"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REPORTED
    )
    description = models.TextField(_("description"))
    # Routing as received: later edits of the duty table do not change it.
    duty_rule = models.ForeignKey(
        "agencies.DutyRule",
        verbose_name=_("routed by duty rule"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    area = models.CharField(_("area"), max_length=16, choices=AreaKind.choices)
    lead_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
        help_text=_("Empty when the township leads."),
    )
    assisting_agencies = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("assisting agencies"),
        blank=True,
        related_name="assisted_cases",
    )
    # 联合检查: the day the lead and the assisting agencies inspect the site together.
    joint_inspection_on = models.DateField(_("joint inspection date"), null=True, blank=True)
    deadline_days = models.JSONField(_("deadlines (working days)"), default=dict)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, blank=True, default=Stage.REGISTER
    )
    stage_deadline = models.DateField(_("stage deadline"), null=True, blank=True)
    stage_deadline_provisional = models.BooleanField(
        _("stage deadline provisional"),
        default=False,
        help_text=_("Counted with a year whose holidays are not known yet; recomputed then."),
    )
    # When the stage's clock started: the deadline is recomputed from it (and the approved
    # extensions since) when the working-day calendar changes.
    stage_started_at = models.DateTimeField(_("stage started at"), null=True, blank=True)
    handling_deadline = models.DateField(_("handling deadline"), null=True, blank=True)
    handling_deadline_provisional = models.BooleanField(
        _("handling deadline provisional"), default=False
    )
    handling_started_at = models.DateTimeField(_("handling started at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handling officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    is_serious = models.BooleanField(_("serious violation"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "stage_deadline"], name="case_status_deadline"),
            # The dashboard's case counts read the open cases, those reported in the period and
            # those closed in it (an OR of the three): one index each, so PostgreSQL combines
            # them (BitmapOr) instead of scanning every case at province scale.
            models.Index(
                fields=["township", "stage_deadline"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="case_open_township",
            ),
            models.Index(fields=["reported_at"], name="case_reported_at"),
            # The work queue's order (inspections/views/cases.py: stage_deadline ASC NULLS LAST,
            # reported_at DESC), read from the index. PostgreSQL's ascending index keeps NULLs
            # last already; SQLite (make demo) cannot write NULLS LAST in an index.
            models.Index(fields=["stage_deadline", "-reported_at"], name="case_list_order"),
            models.Index(fields=["closed_at"], condition=Q(status="closed"), name="case_closed_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "category"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="case_one_open_case_per_site_and_category",
                violation_error_message=_(
                    "This site already has an open case of this category: add to it."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.category}"

    def get_absolute_url(self):
        return reverse("inspections:case-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            self.is_open
            and self.stage_deadline is not None
            and self.stage_deadline < timezone.localdate()
        )

    @property
    def lead_label(self) -> str:
        return str(self.lead_agency) if self.lead_agency_id else str(self.township)


class CaseSequence(models.Model):
    """The last case number given out in a year (案件编号 AJ2026000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class CaseEvent(models.Model):
    """案件处理记录：每一次流转，谁、何时、意见和附件。"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32, choices=CaseEventKind.choices)
    from_status = models.CharField(
        pgettext_lazy("status", "from"), max_length=16, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=CaseStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="case_event_kind_known", condition=Q(action__in=CaseEventKind.values)
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.action}"


class CaseEscalation(models.Model):
    """案件超期升级：先提醒牵头部门，延迟后报告领导小组办公室；每个环节时限每级只一次。"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    stage_deadline = models.DateField(_("stage deadline"))
    level = models.CharField(_("level"), max_length=16, choices=EscalationLevel.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("case escalation")
        verbose_name_plural = _("case escalations")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "stage", "stage_deadline", "level"],
                name="case_escalation_once_per_deadline_and_level",
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.get_level_display()}"


class CaseSideQuerySet(ScopedQuerySet):
    """Rows that belong to one case (requests, enforcement actions): seen with their case;
    written through the case's services."""

    def visible_to(self, user):
        return self.filter(case__in=Case.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(case__in=Case.objects.editable_by(user))
