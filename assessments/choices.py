from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class PeriodStatus(models.TextChoices):
    """A period's way: computed (again and again while reviewed), locked, published; an
    unlock with a reason takes a locked or published period back to computed."""

    DRAFT = "draft", _("Not computed yet")
    COMPUTED = "computed", _("Computed, under review")
    LOCKED = "locked", _("Locked")
    PUBLISHED = "published", _("Published")


FROZEN_STATUSES = frozenset({PeriodStatus.LOCKED, PeriodStatus.PUBLISHED})


class IndicatorKind(models.TextChoices):
    """How an indicator is scored: one computation per kind (indicators.py), or by hand."""

    VILLAGE_COVERAGE = "village_coverage", _("Villages served by an operating collection point")
    TRANSFER_STATION = "transfer_station", _("Operating transfer station")
    ILLEGAL_POINTS = "illegal_points", _("Illegal points remaining at the end of the period")
    PATROLS_ON_CADENCE = "patrols_on_cadence", _("Patrol tasks done on cadence")
    CASES_ON_TIME = "cases_on_time", _("Cases closed on time")
    RECTIFICATIONS_VERIFIED = "rectifications_verified", _("Rectifications verified on site")
    ASSESSOR_DEDUCTIONS = "assessor_deductions", _("Assessors' deductions (entered by hand)")
    # The recycling market (trade): not in the default scheme; a new scheme version adds them.
    POINTS_DELIVERING = "points_delivering", _("Operating points that delivered in the period")
    BALANCE_FLAGS = "balance_flags", _("Mass-balance flags at the township's stations")
    # Publicity (support): not in the default scheme either.
    PUBLICITY_ACTIVITIES = "publicity_activities", _("Publicity activities held")


# Indicators whose measured value is a share in per cent (the others count sites, points or
# deducted points).
PERCENT_KINDS = frozenset(
    {
        IndicatorKind.VILLAGE_COVERAGE,
        IndicatorKind.PATROLS_ON_CADENCE,
        IndicatorKind.CASES_ON_TIME,
        IndicatorKind.RECTIFICATIONS_VERIFIED,
        IndicatorKind.POINTS_DELIVERING,
    }
)

# The recycling market's indicators: registered, but off in the default scheme (version 1); the
# commerce bureau adds them in a new scheme version.
MARKET_KINDS = frozenset({IndicatorKind.POINTS_DELIVERING, IndicatorKind.BALANCE_FLAGS})
# Registered but off in the default scheme: the market's and publicity.
OFF_BY_DEFAULT_KINDS = MARKET_KINDS | {IndicatorKind.PUBLICITY_ACTIVITIES}

# Indicators scored by assessors' deductions rather than from the portal's data.
MANUAL_KINDS = frozenset({IndicatorKind.ASSESSOR_DEDUCTIONS})


class DeductionState(models.TextChoices):
    ACTIVE = "active", _("In force")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    VOID = "void", _("Void after an objection")


class ObjectionState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class RunState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AssessmentActor(models.TextChoices):
    """Who may act on a period, a deduction or an objection, relative to it."""

    COMMERCE = "commerce", _("Commerce bureau")
    ASSESSOR = "assessor", _("Assessors")
    TOWNSHIP = "township", _("The township concerned")


class PeriodAction(models.TextChoices):
    DEDUCT = "deduct", _("Enter a deduction")
    COMPUTE = "compute", _("Compute the period")
    LOCK = "lock", _("Lock the scores")
    PUBLISH = "publish", _("Publish the results")
    UNLOCK = "unlock", _("Unlock for a correction")


class DeductionAction(models.TextChoices):
    WITHDRAW = "withdraw", _("Withdraw the deduction")
    OBJECT = "object", _("File the objection")


class ObjectionAction(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
