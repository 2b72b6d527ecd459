"""Enforcement measures recorded on a case, and what they do to the site."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import is_agency_officer, is_officer_of_agency
from agencies.models import ProblemCategory
from agencies.routing import duties_of
from anji_recycling.history import save_with_history
from sites.choices import SiteStatus
from sites.services import change_site_status

from ..choices import CaseEventKind, CaseSideAction, EnforcementKind
from ..models import EnforcementAction
from ..policy import CASE_POLICY
from .events import record

SITE_EFFECTS = {
    EnforcementKind.RECTIFICATION_ORDER: SiteStatus.RECTIFYING,
    EnforcementKind.BAN: SiteStatus.BANNED,
}


@transaction.atomic
def record_enforcement_action(*, action: EnforcementAction, actor) -> EnforcementAction:
    """The lead agency records a measure; a rectification order puts the site into 整改中
    and a ban into 已取缔, through the site service so the site's history names the case."""
    case = action.case
    CASE_POLICY.ensure_allowed(case, actor, CaseSideAction.RECORD_ENFORCEMENT)
    action.recorded_by = actor
    # The lead's measure is the lead agency's; an assisting agency records its own, within
    # its duties.
    leads = is_officer_of_agency(actor, case.lead_agency_id) or not is_agency_officer(actor)
    action.agency = case.lead_agency if leads else actor.agency
    if leads and action.category_id is None:
        action.category = case.category
    if not leads:
        ensure_within_duties(action)
    save_with_history(action, actor=actor)
    target = SITE_EFFECTS.get(action.kind)
    site = case.site
    if target and site.status != target:
        change_site_status(
            site=site,
            to=target,
            actor=actor,
            reason=f"{action.get_kind_display()} {action.document_number}".strip(),
            source=_("Case %(number)s") % {"number": case.number},
        )
    record(case, action=CaseEventKind.of_enforcement(action.kind), actor=actor, comment=action.note)
    return action


def ensure_within_duties(action: EnforcementAction) -> None:
    """An assisting agency acts only on the problems the duty table gives it (fire safety by
    the fire brigade, licences by market regulation, pollution by ecology, ...)."""
    duties = duties_of(agency_id=action.agency_id)
    if action.category_id in duties:
        return
    names = "、".join(
        ProblemCategory.objects.filter(pk__in=duties)
        .order_by("sort_order")
        .values_list("name", flat=True)
    )
    if not names:
        message = _("The duty table gives %(agency)s no problem to act on.")
    else:
        message = _(
            "Name the problem the measure addresses, within the duties of %(agency)s: %(duties)s."
        )
    raise ValidationError({"category": message % {"agency": action.agency.name, "duties": names}})
