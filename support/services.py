"""Writes to the support records: every one here, atomic, with a history entry."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import (
    is_agency_officer,
    is_county_admin,
    is_township_officer,
    records_land_support,
    records_subsidies,
)
from accounts.choices import NotificationKind
from accounts.notifications import notify
from accounts.selectors import officers_to_notify
from agencies.models import Agency
from anji_recycling.history import save_with_history
from network.models import NetworkProject
from sites.models import Operator, Site

from .choices import LandDecision, NoticeAction
from .models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy
from .policy import NOTICE_POLICY


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
    if bool(subsidy.operator_id) == bool(subsidy.project_id):
        errors["operator"] = _(
            "Choose the operator or the network-building project the grant goes to (one of them)."
        )
    elif (
        subsidy.operator_id
        and not Operator.objects.visible_to(actor).filter(pk=subsidy.operator_id).exists()
    ):
        errors["operator"] = _("Choose an operator of the registry.")
    elif (
        subsidy.project_id
        and not NetworkProject.objects.visible_to(actor).filter(pk=subsidy.project_id).exists()
    ):
        errors["project"] = _("Choose a network-building project of the county.")
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


# The association's notices and publicity ---------------------------------------------------


def _outside_the_county(operators) -> list:
    county = settings.PORTAL_COUNTY_CODE
    return [op for op in operators if not op.township.code.startswith(county)]


@transaction.atomic
def publish_notice(*, notice: AssociationNotice, operators, actor) -> AssociationNotice:
    """Publish a notice of the association to these operators (all of the county's when none
    are named): each operator's page shows it, and the officers of their townships are told.
    A notice to an operator of another county is refused."""
    NOTICE_POLICY.ensure_allowed(notice, actor, NoticeAction.PUBLISH)
    operators = list(
        Operator.objects.select_related("township").filter(pk__in=[op.pk for op in operators])
        if operators
        else Operator.objects.select_related("township").filter(
            township__code__startswith=settings.PORTAL_COUNTY_CODE
        )
    )
    errors = {}
    outside = _outside_the_county(operators)
    if outside:
        errors["operators"] = _(
            "The association publishes to the operators of this county only: %(names)s "
            "are registered in another county."
        ) % {"names": "、".join(op.name for op in outside)}
    if not (notice.title or "").strip():
        errors["title"] = _("Give the notice a title.")
    if not operators and not outside:
        errors["operators"] = _("There is no operator to publish to.")
    if errors:
        raise ValidationError(errors)
    creating = notice.pk is None
    if creating:
        notice.published_by = actor
        notice.published_on = notice.published_on or timezone.localdate()
    save_with_history(notice, actor=actor)
    notice.operators.set(operators)
    if creating:
        township_ids = {op.township_id for op in operators}
        recipients = [
            person
            for people in officers_to_notify(township_ids=township_ids).values()
            for person in people
        ]
        notify(
            recipients=recipients,
            kind=NotificationKind.ASSOCIATION_NOTICE,
            title=_("Association notice: %(title)s") % {"title": notice.title},
            key=notice.notification_key,
            body=notice.body,
            link=notice.get_absolute_url(),
        )
    return notice


@transaction.atomic
def record_publicity(*, activity: PublicityActivity, actor) -> PublicityActivity:
    """Record a publicity activity: a township officer for their township, an agency (or the
    commerce bureau) for any township."""
    if activity.pk is None:
        activity.entered_by = actor
        activity.agency = actor.agency if is_agency_officer(actor) else None
    if activity.held_on and activity.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date cannot be later than today.")})
    if is_township_officer(actor) and activity.township_id != actor.township_id:
        raise PermissionDenied(_("You may not change data outside your own area."))
    if not (is_county_admin(actor) or is_township_officer(actor) or is_agency_officer(actor)):
        raise PermissionDenied(_("Publicity is recorded by the townships and the agencies."))
    return save_with_history(activity, actor=actor)
