"""Extension and postponement requests (延期、缓办申请) on a case, and their decisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import RequestKind, RequestState
from .cases import Case, CaseSideQuerySet


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
