"""Writes to the county's organisation data. Each validates fully and records who did it."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from anji_recycling.history import delete_with_history, save_with_history
from anji_recycling.queue import enqueue_on_commit

from . import workdays
from .choices import UrbanRuralSource
from .models import (
    Agency,
    AgencyDuty,
    CalendarYear,
    DutyRule,
    HolidayArrangement,
    LeadingGroupMembership,
    LeadingGroupPost,
    ProblemCategory,
    Township,
    TownshipPopulation,
    Village,
    validate_calendar_year,
)


@transaction.atomic
def save_township(*, township: Township, actor) -> Township:
    return save_with_history(township, actor=actor)


@transaction.atomic
def save_township_population(*, population: TownshipPopulation, actor) -> TownshipPopulation:
    """Enter or correct a township's population for a year, with where it comes from (kept in
    history); the dashboards' recovery per resident reads the latest year up to the period's."""
    population.source = population.source.strip()
    population.entered_by = actor
    try:
        with transaction.atomic():
            return save_with_history(population, actor=actor)
    except IntegrityError as error:  # the same year entered a moment ago by someone else
        raise ValidationError(
            {
                "year": _(
                    "This township's population for this year has been entered already: edit "
                    "that entry."
                )
            }
        ) from error


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


# The working-day calendar ------------------------------------------------------------------
#
# Every change that can move a deadline queues one background recomputation of the deadlines
# stored elsewhere (settings.WORKING_DAY_DEADLINES), for the days it changed.

logger = logging.getLogger(__name__)


def _recompute_after_commit(*, first_day: dt.date, last_day: dt.date, reason: str, actor) -> None:
    enqueue_on_commit(
        recompute_deadlines,
        first_day=first_day.isoformat(),
        last_day=last_day.isoformat(),
        reason=reason,
        actor_id=getattr(actor, "pk", None),
    )


def _describe_day(arrangement: HolidayArrangement) -> str:
    return _("%(date)s %(kind)s (%(name)s)") % {
        "date": f"{arrangement.day:%Y-%m-%d}",
        "kind": arrangement.get_kind_display(),
        "name": arrangement.name,
    }


@transaction.atomic
def save_holiday_arrangement(*, arrangement: HolidayArrangement, actor) -> HolidayArrangement:
    """Enter or correct one day of the State Council's notice. Deadlines that counted the day
    (or the day it replaced) are recomputed in the background."""
    stored = None
    if arrangement.pk is not None:
        stored = HolidayArrangement.objects.select_for_update().get(pk=arrangement.pk)
    arrangement.name = arrangement.name.strip()
    arrangement.notice_number = arrangement.notice_number.strip()
    arrangement.entered_by = actor
    reason = _("Holiday entered: %(day)s, %(notice)s") % {
        "day": _describe_day(arrangement),
        "notice": arrangement.notice_number,
    }
    try:
        with transaction.atomic():
            save_with_history(arrangement, actor=actor, reason=reason[:100])
    except IntegrityError as error:  # the same day entered a moment ago by someone else
        raise ValidationError(
            {"day": _("This date has been entered already: edit that entry.")}
        ) from error
    days = {arrangement.day}
    if stored is not None:
        if (stored.day, stored.kind) == (arrangement.day, arrangement.kind):
            return arrangement  # only the name or the notice changed: no deadline moves
        days.add(stored.day)
    _recompute_after_commit(first_day=min(days), last_day=max(days), reason=reason, actor=actor)
    return arrangement


@transaction.atomic
def delete_holiday_arrangement(*, arrangement: HolidayArrangement, actor) -> None:
    arrangement = HolidayArrangement.objects.select_for_update().get(pk=arrangement.pk)
    reason = _("Holiday deleted: %(day)s") % {"day": _describe_day(arrangement)}
    arrangement._change_reason = reason[:100]
    delete_with_history(instance=arrangement, actor=actor)
    _recompute_after_commit(
        first_day=arrangement.day, last_day=arrangement.day, reason=reason, actor=actor
    )


def _locked_year(year: int) -> CalendarYear:
    """The year's row, created if need be, locked for this transaction."""
    try:
        with transaction.atomic():
            CalendarYear.objects.get_or_create(year=year)
    except IntegrityError:
        pass  # created by another transaction a moment ago
    return CalendarYear.objects.select_for_update().get(year=year)


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@transaction.atomic
def mark_calendar_year_complete(*, year: int, notice_number: str, actor) -> CalendarYear:
    """The commerce bureau says the table now holds every holiday and make-up day of `year`:
    its deadlines stop being provisional (recomputed in the background)."""
    try:
        validate_calendar_year(year)
    except ValidationError as error:
        raise ValidationError({"year": error.messages}) from error
    notice_number = (notice_number or "").strip()
    if not notice_number:
        raise ValidationError({"notice_number": _("Give the notice's document number.")})
    row = _locked_year(year)
    if row.complete:
        raise ValidationError(_("%(year)s is already marked as entered in full.") % {"year": year})
    row.complete = True
    row.notice_number = notice_number
    row.marked_by = actor
    row.marked_at = timezone.now()
    reason = _("All holidays of %(year)s entered (%(notice)s)") % {
        "year": year,
        "notice": notice_number,
    }
    save_with_history(row, actor=actor, reason=reason[:100])
    first, last = _year_bounds(year)
    _recompute_after_commit(first_day=first, last_day=last, reason=reason, actor=actor)
    return row


@transaction.atomic
def reopen_calendar_year(*, year: int, actor, reason: str) -> CalendarYear:
    """Take back "entered in full" (an amended notice is coming): deadlines in the year are
    provisional again unless chinese-calendar knows it."""
    row = CalendarYear.objects.select_for_update().filter(year=year, complete=True).first()
    if row is None:
        raise ValidationError(_("%(year)s is not marked as entered in full.") % {"year": year})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    row.complete = False
    row.notice_number = ""
    row.marked_by = None
    row.marked_at = None
    text = _("%(year)s no longer marked as entered in full: %(reason)s") % {
        "year": year,
        "reason": reason.strip(),
    }
    save_with_history(row, actor=actor, reason=text[:100])
    first, last = _year_bounds(year)
    _recompute_after_commit(first_day=first, last_day=last, reason=text, actor=actor)
    return row


@transaction.atomic
def record_library_years(*, now: dt.datetime) -> list[int]:
    """The years the installed chinese-calendar knows that the portal had not seen yet (a
    package upgrade): recorded, and the deadlines that counted them are recomputed."""
    recorded = set(
        CalendarYear.objects.filter(library_known_at__isnull=False).values_list("year", flat=True)
    )
    new = [year for year in workdays.library_years() if year not in recorded]
    if not new:
        return []
    for year in new:
        row = _locked_year(year)
        if row.library_known_at is None:
            row.library_known_at = now
            save_with_history(
                row,
                actor=None,
                reason=_("chinese-calendar has %(year)s") % {"year": year},
                validate=False,
            )
    reason = _("the chinese-calendar package now has %(years)s") % {
        "years": "、".join(str(year) for year in new)
    }
    _recompute_after_commit(
        first_day=dt.date(min(new), 1, 1),
        last_day=dt.date(max(new), 12, 31),
        reason=reason,
        actor=None,
    )
    logger.info("chinese-calendar years recorded: %s", new)
    return new


def recompute_dependent_deadlines(
    *, first_day: dt.date, last_day: dt.date, reason: str, actor=None
) -> dict[str, int]:
    """Recompute every stored deadline that depends on the working days between these
    dates: each function named in settings.WORKING_DAY_DEADLINES (case stage deadlines and
    requests, objection windows), which lie in apps above this one."""
    return {
        path: import_string(path)(
            first_day=first_day, last_day=last_day, reason=reason, actor=actor
        )
        for path in settings.WORKING_DAY_DEADLINES
    }


@shared_task(name="agencies.recompute_deadlines")
def recompute_deadlines(*, first_day: str, last_day: str, reason: str, actor_id=None) -> dict:
    """The background recomputation queued after the working-day calendar changed between these
    days (ISO dates); agencies.tasks names it too."""
    from accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    result = recompute_dependent_deadlines(
        first_day=dt.date.fromisoformat(first_day),
        last_day=dt.date.fromisoformat(last_day),
        reason=reason,
        actor=actor,
    )
    logger.info("deadlines recomputed for %s to %s: %s", first_day, last_day, result)
    return result
