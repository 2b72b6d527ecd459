"""The market dashboard (回收市场看板) and the data its charts draw from."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from anji_recycling.figure_cache import cached_figures

from . import selectors
from .backlog import unsettled_by_township
from .forms import ChartPeriodForm
from .recovery import recovery_per_resident
from .views import _require_role, _scope_township


@login_required
def market_dashboard(request):
    """回收市场看板: tonnage by material, tier, township and month and the front-end price
    against the board (ECharts, drawn by static/js/dashboard.js from market_dashboard_data);
    every bar and point opens its transfers."""
    _require_role(request)
    today = timezone.localdate()
    form = ChartPeriodForm(request.GET or None)
    start, end, material = form.period(today)
    return render(
        request,
        "trade/dashboard.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "scope_township": _scope_township(request.user),
            # From the figure cache, like the main dashboard's (anji_recycling/figure_cache.py).
            "figures": cached_figures(
                "market-figures",
                user=request.user,
                parts=(start, end, today),
                compute=lambda: selectors.market_figures(
                    user=request.user, start=start, end=end, today=today
                ),
            ),
            "backlog": cached_figures(
                "market-backlog",
                user=request.user,
                parts=(today,),
                compute=lambda: unsettled_by_township(
                    user=request.user, before=selectors.unsettled_before(today)
                ),
            ),
            "recovery": cached_figures(
                "market-recovery",
                user=request.user,
                parts=(start, end),
                compute=lambda: recovery_per_resident(user=request.user, start=start, end=end),
            ),
            "data_query": request.GET.urlencode(),
        },
    )


@login_required
def market_dashboard_data(request):
    _require_role(request)
    today = timezone.localdate()
    form = ChartPeriodForm(request.GET or None)
    start, end, material = form.period(today)
    charts = cached_figures(
        "market-charts",
        user=request.user,
        parts=(start, end, today, getattr(material, "pk", material)),
        compute=lambda: selectors.market_charts(
            user=request.user, start=start, end=end, material=material
        ),
    )
    return JsonResponse(charts)
