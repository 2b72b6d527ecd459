from rest_framework import serializers

from anji_recycling.api.fields import AllowedActionsField
from anji_recycling.api.relations import FormScopedRelationsMixin

from ..models import (
    AssessmentPeriod,
    AssessmentScheme,
    ComputationRun,
    Deduction,
    GradeBand,
    Indicator,
    IndicatorScore,
    Objection,
    TownshipResult,
)
from ..policy import DEDUCTION_POLICY, OBJECTION_POLICY, PERIOD_POLICY


class AssessmentIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "kind", "name", "weight", "max_points", "points_per_item", "description"]


class AssessmentGradeBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = GradeBand
        fields = ["name", "min_score"]


class AssessmentSchemeSerializer(serializers.ModelSerializer):
    indicators = AssessmentIndicatorSerializer(many=True, read_only=True)
    grade_bands = AssessmentGradeBandSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentScheme
        fields = [
            "id",
            "code",
            "version",
            "name",
            "total_points",
            "objection_days",
            "indicators",
            "grade_bands",
        ]


class AssessmentPeriodSerializer(serializers.ModelSerializer):
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    label = serializers.CharField(source="__str__", read_only=True)
    allowed_actions = AllowedActionsField(PERIOD_POLICY)

    class Meta:
        model = AssessmentPeriod
        fields = [
            "id",
            "label",
            "scheme",
            "scheme_name",
            "kind",
            "year",
            "quarter",
            "start_date",
            "end_date",
            "status",
            "computed_at",
            "needs_recompute",
            "locked_at",
            "published_at",
            "objection_deadline",
            "objection_deadline_provisional",
            "allowed_actions",
        ]


class AssessmentRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComputationRun
        fields = ["id", "period", "state", "total", "done", "percent", "message", "finished_at"]


class AssessmentResultSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = TownshipResult
        fields = ["id", "period", "township", "township_name", "total", "rank", "grade"]


class AssessmentScoreSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = IndicatorScore
        fields = [
            "id",
            "period",
            "township",
            "township_name",
            "indicator",
            "indicator_name",
            "numerator",
            "denominator",
            "value",
            "raw_points",
            "weighted_points",
            "note",
            "evidence",
            "computed_at",
        ]


class AssessmentObjectionSerializer(serializers.ModelSerializer):
    allowed_actions = AllowedActionsField(OBJECTION_POLICY)

    class Meta:
        model = Objection
        fields = [
            "id",
            "deduction",
            "reason",
            "state",
            "filed_by",
            "filed_at",
            "decided_by",
            "decided_at",
            "decision_comment",
            "allowed_actions",
        ]
        read_only_fields = fields


class AssessmentDeductionSerializer(FormScopedRelationsMixin, serializers.ModelSerializer):
    objections = AssessmentObjectionSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField(DEDUCTION_POLICY)

    class Meta:
        # record_deduction checks the assessor's scheme, period and township (policy).
        unscoped_relations = ["period", "township", "indicator"]
        model = Deduction
        fields = [
            "id",
            "period",
            "township",
            "indicator",
            "points",
            "reason",
            "state",
            "entered_by",
            "created_at",
            "objections",
            "allowed_actions",
        ]
        read_only_fields = ["state", "entered_by", "created_at", "objections"]


class AssessmentReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AssessmentDecisionInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
