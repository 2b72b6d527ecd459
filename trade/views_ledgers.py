"""The settlement ledger and the price history as .xlsx: exactly what the list shows with the
same filters, in the user's scope; each download is in the security log."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import has_role
from accounts.choices import SecurityEventKind
from accounts.services import record_security_event
from anji_recycling.xlsx import xlsx_response

from . import ledgers


def _download(request, *, queryset, build, filename):
    if not has_role(request.user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))
    today = timezone.localdate()
    workbook = build(
        queryset=queryset(user=request.user, params=request.GET), user=request.user, as_of=today
    )
    name = filename(as_of=today)
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=name
    )
    return xlsx_response(workbook, name)


def _download_view(*, queryset, build, filename, doc):
    @login_required
    def view(request):
        return _download(request, queryset=queryset, build=build, filename=filename)

    view.__doc__ = doc
    return view


settlement_export = _download_view(
    queryset=ledgers.settlement_queryset,
    build=ledgers.build_settlement_workbook,
    filename=ledgers.settlement_filename,
    doc="资金结算台账 for the current filters.",
)
price_export = _download_view(
    queryset=ledgers.price_queryset,
    build=ledgers.build_price_workbook,
    filename=ledgers.price_history_filename,
    doc="指导价历史: every reference price entry for the current filters.",
)
