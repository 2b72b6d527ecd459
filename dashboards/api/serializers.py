"""The dashboard's JSON: the figures of dashboards/selectors/, each with the address of the
list behind it (`url`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import DashboardKind, PeriodKind


def _percent_field(**kwargs):
    return serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True, **kwargs
    )


class PeriodQuerySerializer(serializers.Serializer):
    period = serializers.CharField(
        required=False,
        max_length=7,
        help_text=_(
            "A month (2026-03), a quarter (2026-Q2) or a year (2026); the current month by default."
        ),
    )


class ScopeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DashboardKind.choices)
    name = serializers.CharField()
    township_id = serializers.IntegerField(source="township.pk", allow_null=True, default=None)
    agency_id = serializers.IntegerField(source="agency.pk", allow_null=True, default=None)


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    label = serializers.CharField()
    start = serializers.DateField(help_text=_("The first day."))
    end = serializers.DateField(help_text=_("The last day."))


class TierCountSerializer(serializers.Serializer):
    tier = serializers.IntegerField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    operating = serializers.IntegerField()
    url = serializers.CharField()


class StatusCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    url = serializers.CharField()


class TierStatusesSerializer(serializers.Serializer):
    tier = serializers.IntegerField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    by_status = StatusCountSerializer(many=True)
    url = serializers.CharField()


class TownshipSitesSerializer(serializers.Serializer):
    township_id = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    by_tier = TierCountSerializer(many=True)
    url = serializers.CharField()


class SiteFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_tier = TierCountSerializer(many=True)
    by_status = StatusCountSerializer(many=True)
    by_tier_and_status = TierStatusesSerializer(many=True)
    by_township = TownshipSitesSerializer(many=True)
    illegal_points = serializers.IntegerField()
    illegal_points_url = serializers.CharField()
    url = serializers.CharField()


class CoverageFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    village_count = serializers.IntegerField()
    served_village_count = serializers.IntegerField()
    unserved_village_count = serializers.IntegerField()
    percent = _percent_field()
    target_percent = _percent_field()
    meets_target = serializers.BooleanField()
    township_count = serializers.IntegerField()
    townships_with_transfer_station = serializers.IntegerField()
    url = serializers.CharField()
    unserved_url = serializers.CharField()


class CaseFiguresSerializer(serializers.Serializer):
    open = serializers.IntegerField(help_text=_("Open now."))
    overdue = serializers.IntegerField(help_text=_("Open and past the stage's deadline, now."))
    reported = serializers.IntegerField(help_text=_("Reported in the period."))
    closed = serializers.IntegerField(help_text=_("Closed in the period."))
    closed_on_time = serializers.IntegerField()
    closed_late = serializers.IntegerField()
    provisional = serializers.IntegerField(
        help_text=_(
            "Open now, with a stage deadline counted with a year whose holidays are not known "
            "yet (provisional)."
        )
    )
    on_time_percent = _percent_field()
    open_url = serializers.CharField()
    overdue_url = serializers.CharField()
    reported_url = serializers.CharField()
    closed_url = serializers.CharField()
    closed_late_url = serializers.CharField()
    provisional_url = serializers.CharField()


class PatrolFiguresSerializer(serializers.Serializer):
    due = serializers.IntegerField(
        help_text=_("Patrol tasks of the period that are due by today or already done.")
    )
    done = serializers.IntegerField(help_text=_("Of those, done within their period."))
    on_cadence_percent = _percent_field()
    overdue = serializers.IntegerField(help_text=_("Open tasks past their due date, now."))
    url = serializers.CharField()


class CaseGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    reported = serializers.IntegerField(help_text=_("Reported in the period."))
    open = serializers.IntegerField(help_text=_("Open now."))
    overdue = serializers.IntegerField(help_text=_("Overdue now."))
    url = serializers.CharField()
    overdue_url = serializers.CharField()


class MonthTrendSerializer(serializers.Serializer):
    month = serializers.CharField()
    label = serializers.CharField()
    reported = serializers.IntegerField()
    closed = serializers.IntegerField()
    closed_on_time = serializers.IntegerField()
    on_time_percent = _percent_field()
    reported_url = serializers.CharField()
    closed_url = serializers.CharField()


class RankingEntrySerializer(serializers.Serializer):
    township_id = serializers.IntegerField()
    name = serializers.CharField()
    rank = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)
    grade = serializers.CharField()
    change = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text=_("Points since the previous comparable period."),
    )
    rank_change = serializers.IntegerField(
        allow_null=True, help_text=_("Places gained since the previous comparable period.")
    )


class AssessmentRankingSerializer(serializers.Serializer):
    period = serializers.CharField()
    end_date = serializers.DateField()
    url = serializers.CharField()
    rows = RankingEntrySerializer(many=True)


class NetworkFiguresSerializer(serializers.Serializer):
    target_year = serializers.IntegerField()
    project_count = serializers.IntegerField()
    operating_count = serializers.IntegerField()
    late_count = serializers.IntegerField(
        help_text=_("Projects past a stage's planned date without having reached it.")
    )
    unserved_village_count = serializers.IntegerField()
    gap_after_projects = serializers.IntegerField(
        help_text=_("Unserved villages for which no open project builds a point.")
    )
    townships_without_station = serializers.IntegerField()


class FlagKindCountSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    url = serializers.CharField()


class TownshipFlagsSerializer(serializers.Serializer):
    township_id = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    by_kind = FlagKindCountSerializer(many=True)
    url = serializers.CharField()


class BalanceFlagsSerializer(serializers.Serializer):
    month = serializers.DateField(help_text=_("The first day of the month the flags are of."))
    total = serializers.IntegerField(help_text=_("Flags not cleared yet."))
    by_kind = FlagKindCountSerializer(many=True)
    by_township = TownshipFlagsSerializer(
        many=True, help_text=_("The townships with an open flag, by the flagged site's township.")
    )
    url = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    scope = ScopeSerializer(source="headlines.scope")
    period = PeriodSerializer(source="headlines.period")
    today = serializers.DateField(source="headlines.today")
    sites = SiteFiguresSerializer(
        source="headlines.sites",
        allow_null=True,
        help_text=_("Today's sites; null on an agency's dashboard."),
    )
    coverage = CoverageFiguresSerializer(
        source="headlines.coverage",
        allow_null=True,
        help_text=_("Today's coverage against the period's year's target; null for an agency."),
    )
    cases = CaseFiguresSerializer(source="headlines.cases")
    patrols = PatrolFiguresSerializer(source="headlines.patrols", allow_null=True)
    assessment = AssessmentRankingSerializer(
        source="headlines.assessment",
        allow_null=True,
        help_text=_("The latest published township ranking; null until one is published."),
    )
    network = NetworkFiguresSerializer(
        source="headlines.network",
        allow_null=True,
        help_text=_("Network building against the goal year; null for an agency."),
    )
    balance_flags = BalanceFlagsSerializer(
        source="headlines.balance_flags",
        allow_null=True,
        help_text=_(
            "Open mass-balance flags of the last complete month, by kind and township; null "
            "for an agency."
        ),
    )
    cases_by_category = CaseGroupSerializer(many=True)
    cases_by_lead_agency = CaseGroupSerializer(many=True)
    trend = MonthTrendSerializer(
        many=True, help_text=_("The twelve months ending with the period.")
    )
