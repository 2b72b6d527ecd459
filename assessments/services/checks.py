"""What every assessment write checks first (one condition a line), and the mark that a period
needs computing again.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from accounts.access import is_county_admin
from anji_recycling.history import save_with_history

from ..choices import FROZEN_STATUSES, PeriodStatus
from ..models import AssessmentPeriod


def plain(number: Decimal) -> str:
    """A number of points as people write it: 100, 2.5 (not 1E+2, 2.50)."""
    return format(Decimal(number).normalize(), "f")


def require_commerce_admin(actor, message: str) -> None:
    if not is_county_admin(actor):
        raise PermissionDenied(message)


def refuse_when_frozen(period: AssessmentPeriod, message: str) -> None:
    if period.status in FROZEN_STATUSES:
        raise ValidationError(message)


def mark_changed(period: AssessmentPeriod, *, actor, reason: str) -> None:
    """Deductions moved after a computation: the period must be computed again to lock."""
    if period.status == PeriodStatus.COMPUTED and not period.needs_recompute:
        period.needs_recompute = True
        save_with_history(period, actor=actor, reason=reason, validate=False)
