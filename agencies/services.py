"""Writes to the county's organisation data. Each validates fully and records who did it."""

from django.db import transaction
from django.utils.translation import gettext as _

from anji_recycling.history import save_with_history

from .choices import UrbanRuralSource
from .models import (
    Agency,
    AgencyDuty,
    DutyRule,
    LeadingGroupMembership,
    LeadingGroupPost,
    ProblemCategory,
    Township,
    Village,
)


@transaction.atomic
def save_township(*, township: Township, actor) -> Township:
    return save_with_history(township, actor=actor)


@transaction.atomic
def save_village(*, village: Village, actor) -> Village:
    stored = Village.objects.filter(pk=village.pk).values_list("urban_rural_code", flat=True)
    if village.pk is None or village.urban_rural_code != stored.first():
        # A code a person sets is theirs: the loader will not overwrite it.
        village.urban_rural_source = (
            UrbanRuralSource.ADMIN if village.urban_rural_code else UrbanRuralSource.NONE
        )
    return save_with_history(village, actor=actor)


@transaction.atomic
def save_agency(*, agency: Agency, actor) -> Agency:
    return save_with_history(agency, actor=actor)


@transaction.atomic
def save_agency_duty(*, duty: AgencyDuty, actor) -> AgencyDuty:
    return save_with_history(duty, actor=actor)


@transaction.atomic
def save_problem_category(*, category: ProblemCategory, actor) -> ProblemCategory:
    return save_with_history(category, actor=actor)


@transaction.atomic
def save_duty_rule(*, rule: DutyRule, actor, reason: str = "") -> DutyRule:
    if rule.lead_kind == "township":
        rule.lead_agency = None
    return save_with_history(rule, actor=actor, reason=reason)


@transaction.atomic
def save_post(*, post: LeadingGroupPost, actor) -> LeadingGroupPost:
    return save_with_history(post, actor=actor)


@transaction.atomic
def save_membership(*, membership: LeadingGroupMembership, actor) -> LeadingGroupMembership:
    # Serialise appointments to one post so two officers cannot both fill it.
    LeadingGroupPost.objects.select_for_update().filter(pk=membership.post_id).first()
    return save_with_history(membership, actor=actor)


@transaction.atomic
def end_membership(*, membership: LeadingGroupMembership, end_date, actor):
    membership.end_date = end_date
    return save_with_history(membership, actor=actor, reason=_("Membership ended"))
