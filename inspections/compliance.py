"""A site's compliance history, in the manner of a facility report (like the US EPA's ECHO
Detailed Facility Report): a strip of the last twelve calendar quarters, each marked by the
worst thing that happened in it, and the inspections, cases and enforcement actions behind it.

Everything starts from the models' `visible_to(user)`: an agency officer's history holds the
inspections and cases routed to their agency, like every other page. Quarters are counted in
SQL (TruncQuarter, in the current time zone: Asia/Shanghai) in a fixed number of queries.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from .choices import OPEN_STATUSES, EnforcementKind, InspectionResult
from .models import Case, EnforcementAction, Inspection

QUARTERS_SHOWN = 12

# Measures that mark a quarter as a serious violation.
SERIOUS_MEASURES = frozenset(
    {
        EnforcementKind.FINE,
        EnforcementKind.SEIZURE,
        EnforcementKind.LICENCE_REVOCATION,
        EnforcementKind.BAN,
    }
)


class QuarterMark(models.TextChoices):
    """How a quarter looks on the strip, from best to worst."""

    NONE = "none", _("No inspection")
    PASSED = "passed", _("Inspected, no problem")
    PROBLEMS = "problems", _("Problem found")
    SERIOUS = "serious", _("Serious violation")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * (self.number - 1) + 1, 1)

    def minus(self, quarters: int) -> "Quarter":
        index = self.year * 4 + self.number - 1 - quarters
        return Quarter(index // 4, index % 4 + 1)


@dataclass(frozen=True)
class QuarterSummary:
    quarter: Quarter
    inspections: int = 0
    with_problems: int = 0
    serious_inspections: int = 0
    serious_measures: int = 0

    @property
    def label(self) -> str:
        return self.quarter.label

    @property
    def mark(self) -> str:
        if self.serious_inspections or self.serious_measures:
            return QuarterMark.SERIOUS
        if self.with_problems:
            return QuarterMark.PROBLEMS
        if self.inspections:
            return QuarterMark.PASSED
        return QuarterMark.NONE

    @property
    def mark_label(self) -> str:
        return str(QuarterMark(self.mark).label)

    @property
    def summary(self) -> str:
        """The cell's text for people who cannot tell the colours apart (title and label)."""
        details = []
        if self.inspections:
            details.append(
                ngettext("%(count)s inspection", "%(count)s inspections", self.inspections)
                % {"count": self.inspections}
            )
        if self.with_problems:
            details.append(gettext("%(count)s with problems") % {"count": self.with_problems})
        if self.serious_inspections:
            details.append(
                gettext("%(count)s with a serious violation") % {"count": self.serious_inspections}
            )
        if self.serious_measures:
            details.append(
                ngettext(
                    "%(count)s fine, seizure, revocation or ban",
                    "%(count)s fines, seizures, revocations or bans",
                    self.serious_measures,
                )
                % {"count": self.serious_measures}
            )
        if not details:
            # Translators: one quarter of the compliance strip, e.g. "2026Q4：未巡查"
            return gettext("%(quarter)s: %(mark)s") % {
                "quarter": self.label,
                "mark": self.mark_label,
            }
        # Translators: one quarter of the compliance strip, e.g. "2026Q4：发现问题（巡查3次）"
        return gettext("%(quarter)s: %(mark)s (%(details)s)") % {
            "quarter": self.label,
            "mark": self.mark_label,
            # Translators: separates the counts of one quarter
            "details": pgettext("list separator", ", ").join(details),
        }


def last_quarters(*, today: dt.date, count: int = QUARTERS_SHOWN) -> list[Quarter]:
    """The `count` calendar quarters up to today's, oldest first."""
    current = Quarter.of(today)
    return [current.minus(back) for back in range(count - 1, -1, -1)]


def _window_start(quarters: list[Quarter]) -> dt.datetime:
    """The first moment of the oldest quarter shown, in the current time zone."""
    return timezone.make_aware(dt.datetime.combine(quarters[0].first_day, dt.time.min))


def _quarter_of(value) -> Quarter:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return Quarter.of(value)


def visible_inspections(*, user, site):
    return Inspection.objects.visible_to(user).filter(site=site)


def visible_cases(*, user, site):
    return Case.objects.visible_to(user).filter(site=site)


def quarter_strip(*, user, site, today: dt.date) -> list[QuarterSummary]:
    """The last twelve quarters, oldest first, each with its counts and its mark. Two queries:
    inspections by quarter (with their problems and serious findings), serious measures by
    quarter."""
    quarters = last_quarters(today=today)
    since = _window_start(quarters)
    inspections = (
        Inspection.objects.filter(
            pk__in=visible_inspections(user=user, site=site).values("pk"),
            inspected_at__gte=since,
        )
        .annotate(quarter=TruncQuarter("inspected_at"))
        .values("quarter")
        .annotate(
            inspections=Count("pk", distinct=True),
            with_problems=Count(
                "pk",
                distinct=True,
                filter=~Q(result=InspectionResult.PASSED) | Q(findings__isnull=False),
            ),
            serious_inspections=Count(
                "pk",
                distinct=True,
                filter=Q(result=InspectionResult.SERIOUS) | Q(findings__is_serious=True),
            ),
        )
        .order_by()
    )
    measures = (
        EnforcementAction.objects.filter(
            case__in=visible_cases(user=user, site=site),
            kind__in=SERIOUS_MEASURES,
            decided_on__gte=quarters[0].first_day,
        )
        .annotate(quarter=TruncQuarter("decided_on"))
        .values("quarter")
        .annotate(serious_measures=Count("pk"))
        .order_by()
    )
    counts = {quarter: {} for quarter in quarters}
    for row in [*inspections, *measures]:
        quarter = _quarter_of(row.pop("quarter"))
        if quarter in counts:
            counts[quarter].update(row)
    return [QuarterSummary(quarter, **counts[quarter]) for quarter in quarters]


def inspections_in_window(*, user, site, today: dt.date):
    since = _window_start(last_quarters(today=today))
    return (
        Inspection.objects.filter(pk__in=visible_inspections(user=user, site=site).values("pk"))
        .filter(inspected_at__gte=since)
        .select_related("inspector")
        .annotate(finding_count=Count("findings"))
        .order_by("-inspected_at", "-pk")
    )


def cases_in_window(*, user, site, today: dt.date):
    """Cases reported in the quarters shown, and older ones still open."""
    since = _window_start(last_quarters(today=today))
    return (
        Case.objects.filter(pk__in=visible_cases(user=user, site=site).values("pk"))
        .filter(Q(reported_at__gte=since) | Q(status__in=sorted(OPEN_STATUSES)))
        .select_related("category", "lead_agency", "township")
        .order_by("-reported_at", "-pk")
    )


def actions_in_window(*, user, site, today: dt.date):
    since = last_quarters(today=today)[0].first_day
    return (
        EnforcementAction.objects.filter(
            case__in=visible_cases(user=user, site=site), decided_on__gte=since
        )
        .select_related("case", "referred_to")
        .order_by("-decided_on", "-pk")
    )


def site_compliance(*, user, site, today: dt.date | None = None) -> dict:
    """Everything the compliance history shows, for a site the caller has checked is visible."""
    today = today or timezone.localdate()
    quarters = quarter_strip(user=user, site=site, today=today)
    return {
        "site": site,
        "quarters": quarters,
        "since": quarters[0].quarter,
        "marks": [(mark.value, mark.label) for mark in QuarterMark],
        "inspections": list(inspections_in_window(user=user, site=site, today=today)),
        "cases": list(cases_in_window(user=user, site=site, today=today)),
        "actions": list(actions_in_window(user=user, site=site, today=today)),
    }
