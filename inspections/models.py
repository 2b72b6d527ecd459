"""Inspections (patrol reports), findings, and the enforcement cases they open."""

from django.conf import settings
from django.core.exceptions import ValidationError
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
    is_governance_centre,
    is_grid_worker,
    is_township_officer,
    is_township_user,
    manages_patrol_plans,
    township_scope,
)
from agencies.choices import AreaKind
from agencies.models import CountyDataQuerySet
from anji_recycling.models import LocatedModel, ScopedQuerySet, TimeStampedModel
from sites.choices import SiteStatus, SiteTier

from .choices import (
    OPEN_STATUSES,
    CaseEventKind,
    CaseStatus,
    ChecklistAnswer,
    EnforcementKind,
    EscalationLevel,
    InspectionResult,
    PartState,
    PatrolFrequency,
    PatrolTaskStatus,
    RequestKind,
    RequestState,
    Stage,
)


class ChecklistItem(models.Model):
    """巡查检查项：商务局维护的检查清单中的一项。"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    text = models.CharField(_("question"), max_length=200)
    category = models.ForeignKey(
        "agencies.ProblemCategory",
        verbose_name=_("problem category when failed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    applies_to_unregistered = models.BooleanField(
        _("asked at unregistered points"),
        default=True,
        help_text=_(
            "Off for questions an illegal point answers by being one (licence shown, filed): "
            "its report leaves them out."
        ),
    )

    history = HistoricalRecords()
    objects = CountyDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.text


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


class InspectionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not has_role(user):
            return self.none()
        if is_association(user):
            return self.none()
        if is_governance_centre(user):
            return self  # the grid teams' reports, county-wide
        if is_agency_officer(user):
            cases = Case.objects.visible_to(user)
            return self.filter(findings__case__in=cases).distinct()
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(township_id=township_id)

    def editable_by(self, user):
        if is_county_admin(user):
            return self
        if is_township_user(user):
            return self.filter(township_id=user.township_id)
        return self.none()


class Inspection(LocatedModel, TimeStampedModel):
    """巡查检查记录：谁、何时、在何处检查了哪个站点，检查清单和发现的问题。"""

    site = models.ForeignKey(
        "sites.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="inspections"
    )
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspected_at = models.DateTimeField(_("inspected at"), default=timezone.now)
    result = models.CharField(_("overall result"), max_length=16, choices=InspectionResult.choices)
    note = models.TextField(_("note"), blank=True)
    # Chosen by the phone for each report it files: a report sent again (a retry after a
    # timeout, the offline queue) finds the inspection already filed instead of a second one.
    idempotency_key = models.UUIDField(
        _("report key"), null=True, blank=True, editable=False, unique=True
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_at", "-pk"]
        indexes = [models.Index(fields=["site", "inspected_at"], name="inspection_site_time")]

    def __str__(self):
        return f"{self.site} {timezone.localtime(self.inspected_at):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("inspections:inspection-detail", args=[self.pk])


class ChecklistResponse(models.Model):
    """检查清单的一项回答。"""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="answers", verbose_name=_("inspection")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    answer = models.CharField(_("answer"), max_length=4, choices=ChecklistAnswer.choices)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"], name="checklist_one_answer_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.get_answer_display()}"


class Finding(models.Model):
    """发现的问题：一个问题类别，描述和照片；开启或并入一个案件。"""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("inspection")
    )
    category = models.ForeignKey(
        "agencies.ProblemCategory",
        verbose_name=_("problem category"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    description = models.TextField(_("description"))
    is_serious = models.BooleanField(_("serious violation"), default=False)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.category}: {self.description[:30]}"


def evidence_path(instance, filename):
    return f"evidence/{timezone.localdate():%Y/%m}/{filename}"


class Evidence(models.Model):
    """证据照片或文件：附在发现的问题或案件处理环节上。"""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    event = models.ForeignKey(
        "CaseEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                name="evidence_belongs_to_finding_or_event",
                condition=Q(finding__isnull=False) | Q(event__isnull=False),
            ),
        ]

    def __str__(self):
        return self.file.name

    def get_absolute_url(self):
        return reverse("inspections:evidence-file", args=[self.pk])


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


class JointPart(models.Model):
    """联合执法中协办部门的任务：协办部门在职责范围内查处并标记完成，或由商务局说明理由后免除。"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parts")
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("assisting agency"), on_delete=models.PROTECT
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PartState.choices, default=PartState.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assisting agency's part")
        verbose_name_plural = _("assisting agencies' parts")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="joint_part_once_per_agency"),
        ]

    def __str__(self):
        return f"{self.case.number} {self.agency}"


class CaseSideQuerySet(ScopedQuerySet):
    """Rows that belong to one case (requests, enforcement actions): seen with their case;
    written through the case's services."""

    def visible_to(self, user):
        return self.filter(case__in=Case.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(case__in=Case.objects.editable_by(user))


class CaseRequest(models.Model):
    """延期或缓办申请：牵头部门提出，商务局（领导小组办公室）审批。"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    days = models.PositiveSmallIntegerField(_("working days asked for"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=16, choices=RequestState.choices, default=RequestState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    old_deadline = models.DateField(_("deadline before"), null=True, blank=True)
    old_deadline_provisional = models.BooleanField(_("deadline before provisional"), default=False)
    new_deadline = models.DateField(_("deadline after"), null=True, blank=True)
    new_deadline_provisional = models.BooleanField(_("deadline after provisional"), default=False)

    history = HistoricalRecords()
    objects = CaseSideQuerySet.as_manager()

    class Meta:
        verbose_name = _("extension or postponement request")
        verbose_name_plural = _("extension and postponement requests")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(name="case_request_days_positive", condition=Q(days__gte=1)),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state="pending"),
                name="case_request_one_pending_per_case",
                violation_error_message=_(
                    "This case already has a request waiting for a decision."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"


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


class PatrolPlanQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The county-wide plans, and a township's own: every role reads the plans that reach
        its area; a township's plan is not another township's business."""
        if not has_role(user):
            return self.none()
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(Q(township__isnull=True) | Q(township_id=township_id))

    def editable_by(self, user):
        return self if manages_patrol_plans(user) else self.none()


class PatrolPlan(TimeStampedModel):
    """巡查计划：哪些站点（层级、状态、乡镇）多久巡查一次。"""

    name = models.CharField(_("name"), max_length=100)
    tier = models.PositiveSmallIntegerField(
        _("tier"), choices=SiteTier.choices, null=True, blank=True, help_text=_("Empty: all tiers.")
    )
    status = models.CharField(_("site status"), max_length=24, choices=SiteStatus.choices)
    township = models.ForeignKey(
        "agencies.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty: every township."),
    )
    frequency = models.CharField(_("how often"), max_length=16, choices=PatrolFrequency.choices)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PatrolPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PatrolTaskQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A grid worker: the tasks assigned to them in their township (not a colleague's,
        not the unassigned ones, which their township officer sees). Everyone else: their
        township's, or the county's."""
        if not has_role(user):
            return self.none()
        if is_association(user):
            return self.none()
        if is_grid_worker(user):
            return self.filter(township_id=user.township_id, assigned_to=user)
        township_id = township_scope(user)
        if township_id is None:
            return self
        return self.filter(township_id=township_id)

    def editable_by(self, user):
        if manages_patrol_plans(user):
            return self
        if is_grid_worker(user):
            return self.visible_to(user)
        if is_township_user(user):
            return self.filter(township_id=user.township_id)
        return self.none()


class PatrolTask(models.Model):
    """巡查任务：某计划在某周期内对某站点的一次巡查，指派给所在乡镇的网格员。"""

    plan = models.ForeignKey(PatrolPlan, on_delete=models.PROTECT, related_name="tasks")
    site = models.ForeignKey(
        "sites.Site", verbose_name=_("site"), on_delete=models.CASCADE, related_name="patrol_tasks"
    )
    township = models.ForeignKey(
        "agencies.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("period from"))
    due_on = models.DateField(_("due on"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrol_tasks",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PatrolTaskStatus.choices, default=PatrolTaskStatus.OPEN
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrol_tasks",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PatrolTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol task")
        verbose_name_plural = _("patrol tasks")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "site", "period_start"],
                name="patrol_task_once_per_plan_site_period",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="patrol_task_status_due")]

    def __str__(self):
        return f"{self.site} {self.period_start:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        return self.status == PatrolTaskStatus.OPEN and self.due_on < timezone.localdate()


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
