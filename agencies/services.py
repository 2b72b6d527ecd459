"""Writes to the county's organisation data. Each validates fully and records who did it."""

from django.db import transaction
from django.utils.translation import gettext as _

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


def _save(instance, *, actor, reason: str = ""):
    """Validate against the model and database rules, then save with a history entry."""
    instance.full_clean()
    instance._history_user = actor
    instance._change_reason = reason or None
    instance.save()
    return instance


@transaction.atomic
def save_township(*, township: Township, actor) -> Township:
    return _save(township, actor=actor)


@transaction.atomic
def save_village(*, village: Village, actor) -> Village:
    stored = Village.objects.filter(pk=village.pk).values_list("urban_rural_code", flat=True)
    if village.pk is None or village.urban_rural_code != stored.first():
        # A code a person sets is theirs: the loader will not overwrite it.
        village.urban_rural_source = (
            UrbanRuralSource.ADMIN if village.urban_rural_code else UrbanRuralSource.NONE
        )
    return _save(village, actor=actor)


@transaction.atomic
def save_agency(*, agency: Agency, actor) -> Agency:
    return _save(agency, actor=actor)


@transaction.atomic
def save_agency_duty(*, duty: AgencyDuty, actor) -> AgencyDuty:
    return _save(duty, actor=actor)


@transaction.atomic
def save_problem_category(*, category: ProblemCategory, actor) -> ProblemCategory:
    return _save(category, actor=actor)


@transaction.atomic
def save_duty_rule(*, rule: DutyRule, actor, reason: str = "") -> DutyRule:
    if rule.lead_kind == "township":
        rule.lead_agency = None
    return _save(rule, actor=actor, reason=reason)


@transaction.atomic
def save_post(*, post: LeadingGroupPost, actor) -> LeadingGroupPost:
    return _save(post, actor=actor)


@transaction.atomic
def save_membership(*, membership: LeadingGroupMembership, actor) -> LeadingGroupMembership:
    # Serialise appointments to one post so two officers cannot both fill it.
    LeadingGroupPost.objects.select_for_update().filter(pk=membership.post_id).first()
    return _save(membership, actor=actor)


@transaction.atomic
def end_membership(*, membership: LeadingGroupMembership, end_date, actor):
    membership.end_date = end_date
    return _save(membership, actor=actor, reason=_("Membership ended"))
