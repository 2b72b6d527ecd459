"""Patrol plans (巡查计划) and the patrol tasks they give the grid workers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import (
    has_role,
    is_association,
    is_grid_worker,
    is_township_user,
    manages_patrol_plans,
    township_scope,
)
from anji_recycling.models import ScopedQuerySet, TimeStampedModel
from sites.choices import SiteStatus, SiteTier

from ..choices import PatrolFrequency, PatrolTaskStatus
from .reports import Inspection


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
        indexes = [
            models.Index(fields=["status", "due_on"], name="patrol_task_status_due"),
            # The dashboard's tasks due in a period (a range on the due date alone).
            models.Index(fields=["due_on"], name="patrol_task_due_on"),
        ]

    def __str__(self):
        return f"{self.site} {self.period_start:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        return self.status == PatrolTaskStatus.OPEN and self.due_on < timezone.localdate()
