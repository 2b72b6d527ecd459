"""The portal's home page (我的待办), and the dashboard page (领导驾驶舱): the headline figures
rendered on the server, each a link to the list behind it; the map and the charts read the API
(`api:dashboard`, the same selectors) with the page's period."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import has_role, is_grid_worker, role_grants
from accounts.choices import SecurityEventKind
from accounts.services import record_security_event
from agencies import selectors as agency_selectors
from anji_recycling.figure_cache import cached_figures
from anji_recycling.xlsx import xlsx_response

from . import selectors
from .forms import PeriodForm
from .meeting_pack import build_meeting_pack
from .periods import default_period, period_choices
from .search import MIN_LENGTH, search_portal
from .todo import todo_for


@login_required
def home(request):
    """我的待办: what waits on the user, the dashboard one click away. A grid worker lands on
    their patrols; an account without a role sees the organisation's summary."""
    user = request.user
    if is_grid_worker(user):
        return redirect("inspections:patrol-mine")
    if has_role(user):
        sections = todo_for(user=user, today=timezone.localdate())
        return render(request, "dashboards/todo.html", {"todo": sections})
    context = agency_selectors.organisation_summary(user=user)
    return render(request, "dashboards/home.html", context)


def chosen_period(request, *, today):
    """The period in the address, or the current month (with a message when it was wrong)."""
    form = PeriodForm(request.GET, today=today)
    if form.is_valid() and form.cleaned_data["period"] is not None:
        return form.cleaned_data["period"]
    if not form.is_valid():
        messages.error(request, form.errors["period"][0])
    return default_period(today=today)


@login_required
def dashboard(request):
    """The county's, a township's or an agency's dashboard, as the user's scope decides."""
    user = request.user
    if not has_role(user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))
    today = timezone.localdate()
    period = chosen_period(request, today=today)
    headlines = cached_figures(
        "dashboard-headlines",
        user=user,
        parts=(period.kind, period.year, period.number, today.isoformat()),
        compute=lambda: selectors.dashboard_headlines(user=user, period=period, today=today),
    )
    context = {
        "headlines": headlines,
        "period": period,
        "period_choices": period_choices(today=today, selected=period),
        "can_register_sites": role_grants(user, "sites.add_site"),
    }
    return render(request, "dashboards/dashboard.html", context)


@login_required
def search(request):
    """全局搜索 from the header's box, within the user's scope."""
    if not has_role(request.user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))
    results = search_portal(user=request.user, term=request.GET.get("q", ""))
    return render(request, "dashboards/search.html", {"results": results, "min_length": MIN_LENGTH})


@login_required
def meeting_pack(request):
    """会议材料: the dashboard's figures and lists for the joint meeting, as one workbook."""
    user = request.user
    if not has_role(user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))
    period = chosen_period(request, today=timezone.localdate())
    workbook, filename = build_meeting_pack(user=user, period=period)
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=user, detail=filename
    )
    return xlsx_response(workbook, filename)
