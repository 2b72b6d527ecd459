"""Writes to the support records: every one here, atomic, with a history entry."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_agency_officer, records_land_support, records_subsidies
from agencies.models import Agency
from anji_recycling.history import save_with_history
from sites.models import Operator, Site

from .choices import LandDecision
from .models import LandSupportCase, Subsidy


def _granting_agency(actor) -> Agency:
    """The finance bureau's officers grant as the finance bureau; the commerce bureau (and a
    superuser without an agency) as the commerce bureau."""
    if is_agency_officer(actor) or actor.agency_id:
        return actor.agency
    return Agency.objects.get(code="commerce")


@transaction.atomic
def save_subsidy(*, subsidy: Subsidy, actor) -> Subsidy:
    """Record or correct a subsidy or award: it rests on a document (文号) and is more than
    0 yuan; the finance and commerce bureaus record them."""
    if not records_subsidies(actor):
        raise PermissionDenied(
            _("Subsidies and awards are recorded by the finance and commerce bureaus.")
        )
    subsidy.basis_document = (subsidy.basis_document or "").strip()
    errors = {}
    if not subsidy.basis_document:
        errors["basis_document"] = _(
            "Give the number of the document the subsidy rests on (文号): a subsidy without a "
            "basis document is not recorded."
        )
    if subsidy.amount is None or Decimal(subsidy.amount) <= 0:
        errors["amount"] = _("The amount must be more than 0 yuan.")
    if subsidy.granted_on and subsidy.granted_on > timezone.localdate():
        errors["granted_on"] = _("The date cannot be later than today.")
    if (
        subsidy.operator_id
        and not Operator.objects.visible_to(actor).filter(pk=subsidy.operator_id).exists()
    ):
        errors["operator"] = _("Choose an operator of the registry.")
    if errors:
        raise ValidationError(errors)
    if subsidy.pk is None:
        subsidy.recorded_by = actor
        subsidy.granted_by = _granting_agency(actor)
    return save_with_history(subsidy, actor=actor)


@transaction.atomic
def save_land_support(*, case: LandSupportCase, actor) -> LandSupportCase:
    """Record or decide a land-support case for a site (the planning bureau)."""
    if not records_land_support(actor):
        raise PermissionDenied(
            _("Land-support cases are recorded by the natural resources and planning bureau.")
        )
    errors = {}
    if case.area is None or Decimal(case.area) <= 0:
        errors["area"] = _("The area must be more than 0 m².")
    if case.requested_on and case.requested_on > timezone.localdate():
        errors["requested_on"] = _("The date cannot be later than today.")
    if case.decision != LandDecision.PENDING and case.decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    if case.decision == LandDecision.PENDING and case.decided_on is not None:
        errors["decided_on"] = _("A case under review has no decision date yet.")
    if case.site_id and not Site.objects.visible_to(actor).filter(pk=case.site_id).exists():
        errors["site"] = _("Choose a site of the registry.")
    if errors:
        raise ValidationError(errors)
    if case.pk is None:
        case.recorded_by = actor
    return save_with_history(case, actor=actor)
