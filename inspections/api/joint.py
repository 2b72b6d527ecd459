"""Joint actions on a site through the API, as the pages do them: assemble (POST), add and
remove an agency, set the joint inspection date, close; `allowed_actions` on each, the same
policy and Chinese messages (inspections/joint.py)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies.models import Agency
from anji_recycling.api.fields import AllowedActionsField
from anji_recycling.api.permissions import WorkflowPermissions
from sites.models import Site

from .. import joint
from ..choices import JointActionStep
from ..models import JointAction, JointActionAgency


class JointActionAgencySerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = JointActionAgency
        fields = ["agency", "agency_name", "reason", "added_by", "added_at"]
        read_only_fields = fields


class JointActionSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    members = JointActionAgencySerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField(
        joint.JOINT_ACTION_POLICY,
        help_text=_(
            "What the requesting user may do to the joint action now: add_agency, "
            "remove_agency, set_joint_inspection, close."
        ),
    )

    class Meta:
        model = JointAction
        fields = [
            "id",
            "site",
            "site_name",
            "township",
            "status",
            "reason",
            "joint_inspection_on",
            "organised_by",
            "created_at",
            "closing_note",
            "members",
            "allowed_actions",
        ]
        read_only_fields = fields


class AssembleInputSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    agencies = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    reason = serializers.CharField(max_length=2000)
    joint_inspection_on = serializers.DateField(required=False, allow_null=True, default=None)


class AgencyInputSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    reason = serializers.CharField(max_length=2000)


class DateInputSerializer(serializers.Serializer):
    on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CloseInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class JointActionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """站点联合行动：商务局（或乡镇对本辖区站点）组织多个部门联合执法；各部门和乡镇都会收到通知。"""

    serializer_class = JointActionSerializer
    permission_classes = [WorkflowPermissions]
    filterset_fields = ["site", "status"]

    def get_queryset(self):
        return joint.joint_actions_for(user=self.request.user)

    def _answer(self, action, status=200):
        fresh = self.get_queryset().get(pk=action.pk)
        return Response(self.get_serializer(fresh).data, status=status)

    @extend_schema(request=AssembleInputSerializer, responses={201: JointActionSerializer})
    def create(self, request, *args, **kwargs):
        """Assemble agencies on a site with the reason (and the joint inspection date)."""
        data = AssembleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        site = get_object_or_404(Site.objects.visible_to(request.user), pk=values.pop("site"))
        agencies = list(Agency.objects.filter(pk__in=values.pop("agencies")))
        action = joint.assemble_joint_action(
            site=site, agencies=agencies, actor=request.user, **values
        )
        return self._answer(action, status=201)

    def _agency_step(self, request, service):
        data = AgencyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = get_object_or_404(Agency, pk=data.validated_data["agency"])
        service(
            action=self.get_object(),
            agency=agency,
            reason=data.validated_data["reason"],
            actor=request.user,
        )
        return self._answer(self.get_object())

    @extend_schema(request=AgencyInputSerializer, responses=JointActionSerializer)
    @action(detail=True, methods=["post"], url_path=JointActionStep.ADD_AGENCY)
    def add_agency(self, request, pk=None):
        return self._agency_step(request, joint.add_joint_agency)

    @extend_schema(request=AgencyInputSerializer, responses=JointActionSerializer)
    @action(detail=True, methods=["post"], url_path=JointActionStep.REMOVE_AGENCY)
    def remove_agency(self, request, pk=None):
        return self._agency_step(request, joint.remove_joint_agency)

    @extend_schema(request=DateInputSerializer, responses=JointActionSerializer)
    @action(detail=True, methods=["post"], url_path=JointActionStep.SET_JOINT_INSPECTION)
    def set_joint_inspection(self, request, pk=None):
        data = DateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = joint.set_joint_action_inspection(
            action=self.get_object(), actor=request.user, **data.validated_data
        )
        return self._answer(action)

    @extend_schema(request=CloseInputSerializer, responses=JointActionSerializer)
    @action(detail=True, methods=["post"], url_path=JointActionStep.CLOSE)
    def close(self, request, pk=None):
        data = CloseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = joint.close_joint_action(
            action=self.get_object(), actor=request.user, **data.validated_data
        )
        return self._answer(action)
