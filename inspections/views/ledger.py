"""Ledgers and histories: the 案件台账 export, the register of extension and postponement
requests (延期/缓办登记), and a site's compliance history."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import has_role
from accounts.choices import SecurityEventKind
from accounts.services import record_security_event
from anji_recycling.views import ScopedListView
from anji_recycling.xlsx import xlsx_response
from sites.models import Site

from .. import compliance, exports, selectors
from ..filters import CaseRequestFilterSet
from ..models import CaseRequest


def _check_has_role(user):
    if not has_role(user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))


@login_required
def case_ledger_export(request):
    """案件台账: exactly the cases the queue shows with the same filters, as .xlsx."""
    _check_has_role(request.user)
    queryset = exports.ledger_queryset(user=request.user, params=request.GET)
    today = timezone.localdate()
    filename = exports.ledger_filename(as_of=today)
    scope = exports.ledger_scope(user=request.user, params=request.GET)
    workbook = exports.build_ledger_workbook(queryset=queryset, scope=scope, as_of=today)
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    return xlsx_response(workbook, filename)


class RequestRegisterView(ScopedListView):
    """延期/缓办登记: every request for more time on the cases the user may see; the approved
    ones are the register proper."""

    model = CaseRequest
    filterset_class = CaseRequestFilterSet
    template_name = "inspections/request_register.html"

    def get_queryset(self):
        return selectors.requests_for_register(user=self.request.user).order_by(
            "-requested_at", "-pk"
        )


@login_required
def site_compliance(request, site_pk):
    """A site's compliance history: an HTML fragment for the site page (fetched by
    static/js/portal.js), or with ?full=1 a page of its own (the link without JavaScript)."""
    site = get_object_or_404(
        Site.objects.visible_to(request.user).select_related("township"), pk=site_pk
    )
    context = compliance.site_compliance(user=request.user, site=site)
    full = bool(request.GET.get("full"))
    template = "inspections/compliance.html" if full else "inspections/compliance_fragment.html"
    return render(request, template, context)
