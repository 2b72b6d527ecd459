"""Placeholder until this part of the inspections issue lands (stubs keep the URLconf loading)."""

from django.http import Http404
from django.views import View


def _pending(request, *args, **kwargs):
    raise Http404


class _PendingView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


case_act = case_reroute = case_assign = case_request_time = request_decide = _pending
case_enforcement = _pending
CaseListView = CaseDetailView = _PendingView
