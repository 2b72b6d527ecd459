"""Joint enforcement (部门协作、联合执法、属地主责): each assisting agency's part of a case
(`JointPart`), and joint actions on a site (`JointAction`): assembled by the commerce bureau, or
by the township for its own sites, with the agencies (`JointActionAgency`), the reason and the
day of the joint inspection. The officers present at a joint inspection are listed on the
report (inspections/models/reports.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import has_role, is_agency_officer, is_county_admin, township_scope
from anji_recycling.models import ScopedQuerySet, TimeStampedModel

from ..choices import JointActionStatus, PartState
from .cases import Case


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


class JointActionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The commerce bureau: all; a township's staff: their township's sites; an agency
        officer: the actions their agency is part of; nobody else."""
        if not has_role(user):
            return self.none()
        if is_county_admin(user):
            return self
        if is_agency_officer(user):
            return self.filter(
                pk__in=JointActionAgency.objects.filter(agency_id=user.agency_id).values(
                    "action_id"
                )
            )
        township_id = township_scope(user)
        if township_id is None:
            return self.none()
        return self.filter(township_id=township_id)

    def editable_by(self, user):
        return self.visible_to(user)  # which step is theirs, the joint-action policy decides

    def open(self):
        return self.filter(status=JointActionStatus.OPEN)


class JointAction(TimeStampedModel):
    """站点联合行动：商务局（或乡镇对本辖区站点）组织多个部门对一个站点联合执法，说明理由、确定联合检查日期。"""

    site = models.ForeignKey(
        "sites.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "agencies.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=JointActionStatus.choices,
        default=JointActionStatus.OPEN,
    )
    joint_inspection_on = models.DateField(_("joint inspection date"), null=True, blank=True)
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closing_note = models.TextField(_("closing note"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = JointActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint action on a site")
        verbose_name_plural = _("joint actions on sites")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                condition=Q(status="open"),
                name="joint_action_one_open_per_site",
                violation_error_message=_(
                    "This site already has an open joint action: add the agencies to it."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.site} {self.created_at:%Y-%m-%d}" if self.created_at else str(self.site)

    def get_absolute_url(self):
        return reverse("inspections:joint-action-detail", args=[self.pk])


class JointActionAgencyQuerySet(ScopedQuerySet):
    """Seen with the joint action they belong to."""

    def visible_to(self, user):
        return self.filter(action__in=JointAction.objects.visible_to(user))

    def editable_by(self, user):
        return self.none()  # written by the joint action's services


class JointActionAgency(models.Model):
    """站点联合行动的参加部门：何时、由谁、因何加入。"""

    action = models.ForeignKey(
        JointAction,
        verbose_name=_("joint action"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = JointActionAgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency of a joint action")
        verbose_name_plural = _("agencies of joint actions")
        ordering = ["agency__sort_order", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["action", "agency"], name="joint_action_agency_once"),
        ]

    def __str__(self):
        return str(self.agency)
