"""The county's organisation: territory, agencies, the leading group and the duty table, the
business calendar, and the leading group's meetings. One module a concern; every model is
importable from here as before."""

from .calendar import (
    CALENDAR_YEARS_AHEAD,
    FIRST_CALENDAR_YEAR,
    CalendarYear,
    HolidayArrangement,
    Schedule,
    validate_calendar_year,
)
from .leading_group import LeadingGroupMembership, LeadingGroupPost
from .meetings import (
    ActionItem,
    ActionItemQuerySet,
    ActionItemUpdate,
    Meeting,
    MeetingAttendance,
    MeetingQuerySet,
)
from .organisation import Agency, AgencyDuty, DutyRule, ProblemCategory
from .territory import (
    CountyDataQuerySet,
    Township,
    TownshipPopulation,
    TownshipQuerySet,
    Village,
    VillageQuerySet,
)

__all__ = [
    "CALENDAR_YEARS_AHEAD",
    "FIRST_CALENDAR_YEAR",
    "ActionItem",
    "ActionItemQuerySet",
    "ActionItemUpdate",
    "Agency",
    "AgencyDuty",
    "CalendarYear",
    "CountyDataQuerySet",
    "DutyRule",
    "HolidayArrangement",
    "LeadingGroupMembership",
    "LeadingGroupPost",
    "Meeting",
    "MeetingAttendance",
    "MeetingQuerySet",
    "ProblemCategory",
    "Schedule",
    "Township",
    "TownshipPopulation",
    "TownshipQuerySet",
    "Village",
    "VillageQuerySet",
    "validate_calendar_year",
]
