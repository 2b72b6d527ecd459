from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from anji_recycling.figure_cache import cached_figures
from sites.api.coverage import HasRole

from .. import selectors
from ..forms import PeriodForm
from ..periods import default_period
from .serializers import DashboardSerializer, PeriodQuerySerializer


class DashboardView(APIView):
    """领导驾驶舱的数据：全县、本乡镇（街道）或本部门案件的各项指标和图表数据。

    The user's scope decides whose figures: the county (leaders, assessors, the commerce
    bureau), their township (township staff), or their agency's cases (agency officers: no site,
    coverage or patrol figures). Every figure carries the address of the list behind it.
    """

    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(parameters=[PeriodQuerySerializer], responses=DashboardSerializer)
    def get(self, request):
        today = timezone.localdate()
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        form = PeriodForm(query.validated_data, today=today)
        if not form.is_valid():
            raise ValidationError({"period": form.errors["period"]})
        period = form.cleaned_data["period"] or default_period(today=today)
        user = request.user

        def figures():
            data = selectors.dashboard_data(user=user, period=period, today=today)
            return dict(DashboardSerializer(data).data)

        parts = (period.kind, period.year, period.number, today.isoformat())
        return Response(cached_figures("dashboard-json", user=user, parts=parts, compute=figures))
