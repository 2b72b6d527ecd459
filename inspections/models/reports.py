"""Inspection reports (巡查检查记录): the checklist and its answers, the findings with their
photos, the evidence files, and the officers present at a joint inspection (联合检查: one report
with several agencies present)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import (
    has_role,
    is_agency_officer,
    is_association,
    is_county_admin,
    is_governance_centre,
    is_township_user,
    township_scope,
)
from agencies.models import CountyDataQuerySet
from anji_recycling.models import LocatedModel, ScopedQuerySet, TimeStampedModel
from anji_recycling.uploads import MonthlyPath

from ..choices import ChecklistAnswer, InspectionResult
from .cases import Case
from .joint import JointAction, JointActionAgency


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


class InspectionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not has_role(user):
            return self.none()
        if is_association(user):
            return self.none()
        if is_governance_centre(user):
            return self  # the grid teams' reports, county-wide
        if is_agency_officer(user):
            # Reports with a finding in one of its cases, and the joint inspections it was at.
            cases = Case.objects.visible_to(user)
            found = Finding.objects.filter(case__in=cases).values("inspection_id")
            present = InspectionOfficer.objects.filter(agency_id=user.agency_id)
            # ... and the reports that followed a joint action on a site it is part of.
            joined = JointActionAgency.objects.filter(agency_id=user.agency_id)
            return self.filter(
                Q(pk__in=found)
                | Q(pk__in=present.values("inspection_id"))
                | Q(joint_action_id__in=joined.values("action_id"))
            )
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
    # The joint action open on the site when the report was filed (联合执法): the report is
    # the inspection that follows it, shown on both pages.
    joint_action = models.ForeignKey(
        JointAction,
        verbose_name=_("joint action"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="inspections",
    )
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
        indexes = [
            models.Index(fields=["site", "inspected_at"], name="inspection_site_time"),
            # The list's order: its page of 50 is read from the index, not by sorting every
            # report (a million at province scale).
            models.Index(fields=["-inspected_at", "-id"], name="inspection_list_order"),
        ]

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


evidence_path = MonthlyPath("evidence")


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


class InspectionOfficerQuerySet(ScopedQuerySet):
    """Seen with the report they belong to."""

    def visible_to(self, user):
        return self.filter(inspection__in=Inspection.objects.visible_to(user))

    def editable_by(self, user):
        return self.none()  # written by filing the report


class InspectionOfficer(models.Model):
    """联合检查到场人员：参加联合检查的部门及其执法人员。"""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        on_delete=models.CASCADE,
        related_name="officers_present",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency present"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer present"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = InspectionOfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer present at a joint inspection")
        verbose_name_plural = _("officers present at joint inspections")
        ordering = ["agency__sort_order", "agency__code", "officer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "officer"], name="inspection_officer_listed_once"
            ),
        ]

    def __str__(self):
        return f"{self.agency} {self.officer}"
