"""The market's pages: transfers, the price board, settlements, shipments, month-end stocks
and the mass balance. Reads come from the selectors, writes go through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import has_role, role_grants, township_scope
from accounts.choices import SecurityEventKind
from accounts.services import record_security_event
from anji_recycling.views import (
    HistoryView,
    ScopedDetailView,
    ScopedListView,
    ServiceCreateView,
    ServiceUpdateView,
    report_error,
    report_form_errors,
)
from anji_recycling.xlsx import xlsx_response
from sites import exports as site_exports
from sites import imports as site_imports
from sites.models import BackgroundJob, Material, Site
from sites.views.excel import ImportUploadForm

from . import exports, imports, policy, selectors, services
from .balance import monthly_balance
from .choices import SettlementAction, TransferAction
from .filters import PriceEntryFilterSet, SettlementFilterSet, ShipmentFilterSet, TransferFilterSet
from .forms import (
    BalanceForm,
    ClearFlagForm,
    PaymentForm,
    PriceEntryForm,
    SettlementForm,
    ShipmentForm,
    StockDeclarationForm,
    TransferForm,
)
from .models import PriceEntry, Settlement, Shipment, StockDeclaration, Transfer


def _scope_township(user):
    return None if township_scope(user) is None else user.township


def _require_role(request):
    if not has_role(request.user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))


# Transfers ----------------------------------------------------------------------------------


class TransferListView(ScopedListView):
    model = Transfer
    filterset_class = TransferFilterSet
    template_name = "trade/transfer_list.html"

    def get_queryset(self):
        _require_role(self.request)
        return selectors.transfers_for_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = self.object_list.aggregate(
            count=Count("pk"), weight_kg=Sum("weight_kg"), amount=Sum("amount")
        )
        context["scope_township"] = _scope_township(self.request.user)
        context["can_add"] = role_grants(self.request.user, "trade.add_transfer")
        context["margin"] = selectors.price_margin()
        return context


@login_required
def transfer_export(request):
    """交售台账: exactly the transfers the list shows with the same filters, as .xlsx."""
    _require_role(request)
    queryset = exports.ledger_queryset(user=request.user, params=request.GET)
    today = timezone.localdate()
    filename = exports.ledger_filename(as_of=today)
    if queryset.count() > site_exports.large_export_rows():
        job = site_exports.start_export_job(
            kind=BackgroundJob.Kind.TRANSFER_EXPORT,
            owner=request.user,
            params=request.GET,
            filename=filename,
        )
        messages.info(
            request,
            _(
                "The ledger has more than %(count)s rows: it is being written in the "
                "background. Download it from this page when it is ready."
            )
            % {"count": site_exports.large_export_rows()},
        )
        return redirect("sites:job-status", job_pk=job.pk)
    workbook = exports.build_ledger_workbook(queryset=queryset, user=request.user, as_of=today)
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    return xlsx_response(workbook, filename)


def _require_importer(request):
    if not policy.may_import_transfers(request.user):
        raise PermissionDenied(_("You may not record transfers."))


@login_required
def transfer_import(request):
    """过磅记录导入: upload a weighbridge workbook; it is checked in the background (the site
    roster's import jobs and pages), then written on confirmation, all rows or none."""
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = site_imports.start_import(
            upload=form.cleaned_data["file"], user=request.user, kind=imports.KIND
        )
        return redirect("sites:job-status", job_pk=job.pk)
    context = {
        "form": form,
        "recent_jobs": site_imports.recent_imports(user=request.user, kind=imports.KIND),
        "limits": site_imports.import_limits(),
    }
    return render(request, "trade/transfer_import.html", context)


@login_required
def transfer_import_template(request):
    _require_importer(request)
    return xlsx_response(imports.template_workbook(), imports.TEMPLATE_FILENAME)


class TransferDetailView(ScopedDetailView):
    model = Transfer
    template_name = "trade/transfer_detail.html"

    def get_queryset(self):
        return selectors.transfers_for_list(user=self.request.user).select_related("settlement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allowed = policy.TRANSFER_POLICY.allowed_actions(self.object, self.request.user)
        context["can_correct"] = TransferAction.CORRECT in allowed
        context["margin"] = selectors.price_margin()
        return context


class TransferCreateView(ServiceCreateView):
    model = Transfer
    form_class = TransferForm
    permission_required = "trade.add_transfer"
    success_message = ""

    def get_initial(self):
        return {"transferred_on": timezone.localdate(), **self.request.GET.dict()}

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return str(reverse_lazy("trade:transfer-list"))

    def save_with_service(self, *, obj, actor):
        return services.record_transfer(transfer=obj, actor=actor)


class TransferUpdateView(ServiceUpdateView):
    model = Transfer
    form_class = TransferForm
    select_related = ("from_site", "to_site")

    def save_with_service(self, *, obj, actor):
        return services.correct_transfer(transfer=obj, actor=actor)


class TransferHistoryView(HistoryView):
    model = Transfer


# The price board ----------------------------------------------------------------------------


class PriceBoardView(ScopedListView):
    """The board in force today, with the previous price of each line, and every entry."""

    model = PriceEntry
    filterset_class = PriceEntryFilterSet
    template_name = "trade/price_board.html"

    def get_queryset(self):
        _require_role(self.request)
        return selectors.prices_for_list(user=self.request.user).order_by(
            "-effective_from", "material__sort_order", "seller_tier"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["today"] = today
        context["board"] = selectors.current_board(user=self.request.user, on=today)
        context["can_publish"] = policy.may_publish_prices(self.request.user)
        return context


class PriceCreateView(ServiceCreateView):
    model = PriceEntry
    form_class = PriceEntryForm
    permission_required = "trade.add_priceentry"
    success_url = reverse_lazy("trade:price-board")

    def get_initial(self):
        return {"effective_from": timezone.localdate()}

    def save_with_service(self, *, obj, actor):
        return services.publish_price(entry=obj, actor=actor)


# Settlements --------------------------------------------------------------------------------


class SettlementListView(ScopedListView):
    model = Settlement
    filterset_class = SettlementFilterSet
    template_name = "trade/settlement_list.html"

    def get_queryset(self):
        _require_role(self.request)
        return (
            selectors.settlements_for_list(user=self.request.user)
            .annotate(transfer_count=Count("transfers"))
            .order_by("-period_end", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = role_grants(self.request.user, "trade.add_settlement")
        context["scope_township"] = _scope_township(self.request.user)
        return context


class SettlementDetailView(ScopedDetailView):
    model = Settlement
    select_related = ("payer", "payee", "created_by")
    template_name = "trade/settlement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allowed = policy.SETTLEMENT_POLICY.allowed_actions(self.object, self.request.user)
        context["transfers"] = selectors.transfers_for_list(user=self.request.user).filter(
            settlement=self.object
        )
        context["can_pay"] = SettlementAction.PAY in allowed
        context["payment_form"] = PaymentForm(initial={"paid_on": timezone.localdate()})
        return context


class SettlementHistoryView(HistoryView):
    model = Settlement


@login_required
def settlement_create(request):
    """Settle every unsettled transfer one site delivered to the paying site in a period."""
    if not role_grants(request.user, "trade.add_settlement"):
        raise PermissionDenied(_("You may not settle transfers."))
    form = SettlementForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        transfers = selectors.unsettled_transfers(
            user=request.user, payer=data["payer"], payee=data["payee"]
        ).filter(transferred_on__gte=data["period_start"], transferred_on__lte=data["period_end"])
        try:
            settlement = services.settle_transfers(
                payer=data["payer"],
                payee=data["payee"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                transfers=list(transfers.values_list("pk", flat=True)),
                paid_on=data["paid_on"],
                payment_reference=data["payment_reference"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Settled."))
            return redirect(settlement)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "heading": _("Settle transfers"),
            "cancel_url": reverse("trade:settlement-list"),
        },
    )


@login_required
@require_POST
def settlement_pay(request, pk):
    settlement = get_object_or_404(Settlement.objects.visible_to(request.user), pk=pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(settlement)
    try:
        services.pay_settlement(
            settlement=settlement,
            paid_on=form.cleaned_data["paid_on"],
            payment_reference=form.cleaned_data["payment_reference"],
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("Payment recorded."))
    return redirect(settlement)


# Shipments and month-end stocks -----------------------------------------------------------


class ShipmentListView(ScopedListView):
    model = Shipment
    filterset_class = ShipmentFilterSet
    template_name = "trade/shipment_list.html"

    def get_queryset(self):
        _require_role(self.request)
        return selectors.shipments_for_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = self.object_list.aggregate(weight_kg=Sum("weight_kg"))
        context["can_add"] = policy.may_record_shipments(self.request.user)
        return context


class ShipmentCreateView(ServiceCreateView):
    model = Shipment
    form_class = ShipmentForm
    permission_required = "trade.add_shipment"
    success_url = reverse_lazy("trade:shipment-list")

    def get_initial(self):
        return {"shipped_on": timezone.localdate()}

    def save_with_service(self, *, obj, actor):
        return services.record_shipment(shipment=obj, actor=actor)


class StockCreateView(ServiceCreateView):
    model = StockDeclaration
    form_class = StockDeclarationForm
    permission_required = "trade.add_stockdeclaration"
    success_url = reverse_lazy("trade:balance")

    def get_initial(self):
        return {"month": timezone.localdate().replace(day=1), **self.request.GET.dict()}

    def get_success_url(self):
        return f"{self.success_url}?month={self.object.month:%Y-%m}"

    def save_with_service(self, *, obj, actor):
        return services.declare_stock(declaration=obj, actor=actor)


# Mass balance -------------------------------------------------------------------------------


@login_required
def balance(request):
    """进出平衡: the month's figures of each station and the centre, and the flags."""
    _require_role(request)
    form = BalanceForm(request.GET or None)
    today = timezone.localdate()
    month = form.month_start(today.replace(day=1))
    result = monthly_balance(user=request.user, month=month)
    result.flags = form.shown_flags(result.flags)
    for flag in result.flags:
        flag.can_clear = flag.clearance is None and policy.may_clear_flag(request.user, flag.site)
    return render(
        request,
        "trade/balance.html",
        {
            "form": form,
            "balance": result,
            "month_value": f"{month:%Y-%m}",
            "scope_township": _scope_township(request.user),
            "can_declare": role_grants(request.user, "trade.add_stockdeclaration"),
        },
    )


@login_required
@require_POST
def clear_flag(request):
    """A township officer clears a flag of the month's balance with an explanation."""
    form = ClearFlagForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("trade:balance")
    data = form.cleaned_data
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=data["site"])
    material = Material.objects.filter(pk=data["material"]).first() if data["material"] else None
    try:
        services.clear_flag(
            site=site,
            month=data["month"],
            kind=data["kind"],
            material=material,
            explanation=data["explanation"],
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("Flag cleared."))
    return redirect(f"{reverse('trade:balance')}?month={data['month']:%Y-%m}")


@login_required
def site_market(request, site_pk):
    """A site's transfers and flags: an HTML fragment for the site page (static/js/portal.js
    fetches it), or with ?full=1 a page of its own."""
    site = get_object_or_404(
        Site.objects.visible_to(request.user).select_related("township"), pk=site_pk
    )
    context = selectors.site_market(user=request.user, site=site, today=timezone.localdate())
    full = bool(request.GET.get("full"))
    template = "trade/site_market.html" if full else "trade/site_market_fragment.html"
    return render(request, template, context)
