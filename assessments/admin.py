"""The admin shows the assessment read-only and scoped: schemes, periods, scores, deductions
and objections change only through the services (the portal's pages and API), which keep the
rules (weights, locks, windows) and the history."""

from django.contrib import admin

from anji_recycling.admin import ReadOnlyScopedAdmin

from .models import (
    AssessmentPeriod,
    AssessmentScheme,
    Deduction,
    IndicatorScore,
    Objection,
    TownshipResult,
)


@admin.register(AssessmentScheme)
class SchemeAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "code", "version", "total_points", "objection_days"]


@admin.register(AssessmentPeriod)
class PeriodAdmin(ReadOnlyScopedAdmin):
    list_display = ["__str__", "scheme", "status", "computed_at", "locked_at", "published_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["scheme"]


@admin.register(TownshipResult)
class ResultAdmin(ReadOnlyScopedAdmin):
    list_display = ["period", "township", "total", "rank", "grade"]
    list_filter = ["period"]
    list_select_related = ["period__scheme", "township"]


@admin.register(IndicatorScore)
class ScoreAdmin(ReadOnlyScopedAdmin):
    list_display = ["period", "township", "indicator", "raw_points", "weighted_points"]
    list_filter = ["period"]
    list_select_related = ["period__scheme", "township", "indicator"]


@admin.register(Deduction)
class DeductionAdmin(ReadOnlyScopedAdmin):
    list_display = ["period", "township", "indicator", "points", "state", "entered_by"]
    list_filter = ["state", "period"]
    list_select_related = ["period__scheme", "township", "indicator", "entered_by"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyScopedAdmin):
    list_display = ["deduction", "state", "filed_by", "filed_at", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["deduction__township", "deduction__period__scheme", "filed_by"]
