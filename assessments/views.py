"""Assessment pages: periods (compute, review, lock, publish, unlock), the county ranking, a
township's indicators with their evidence, deductions and objections, schemes, the export.
Views are thin: they read through selectors and write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import (
    assessed_township_id,
    enters_deductions,
    is_county_admin,
    reads_whole_county,
)
from accounts.choices import SecurityEventKind
from accounts.services import record_security_event
from agencies.models import Township
from anji_recycling.history import history_rows
from anji_recycling.views import report_error, report_form_errors, stored_file_response
from anji_recycling.xlsx import xlsx_response

from . import exports, selectors, services
from .choices import ObjectionState
from .forms import (
    BandFormSet,
    DecisionForm,
    DeductionForm,
    IndicatorFormSet,
    ObjectionForm,
    PeriodForm,
    ReasonForm,
    SchemeForm,
)
from .models import (
    AssessmentPeriod,
    AssessmentScheme,
    ComputationRun,
    Deduction,
    DeductionEvidence,
    IndicatorScore,
    Objection,
)
from .policy import DEDUCTION_POLICY, OBJECTION_POLICY, PERIOD_POLICY


def _check_can_view(user):
    if not user.has_perm("assessments.view_assessmentperiod"):
        raise PermissionDenied(_("The township assessment is not part of your role."))


def _period(request, pk) -> AssessmentPeriod:
    _check_can_view(request.user)
    periods = AssessmentPeriod.objects.visible_to(request.user).select_related("scheme")
    return get_object_or_404(periods, pk=pk)


# Periods ---------------------------------------------------------------------------------------


@login_required
def period_list(request):
    _check_can_view(request.user)
    context = {
        "periods": list(selectors.periods_for_list(user=request.user)),
        "can_manage": is_county_admin(request.user),
        "own_township_id": assessed_township_id(request.user),
    }
    return render(request, "assessments/period_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request):
    if not is_county_admin(request.user):
        raise PermissionDenied(_("Only the commerce bureau opens assessment periods."))
    schemes = AssessmentScheme.objects.visible_to(request.user).order_by("code", "-version")
    form = PeriodForm(
        request.POST or None,
        schemes=schemes,
        initial={"year": timezone.localdate().year, "kind": "quarter"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            period = services.open_period(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Period %(period)s opened.") % {"period": period})
            return redirect(period)
    context = {
        "form": form,
        "heading": _("Open an assessment period"),
        "cancel_url": reverse("assessments:period-list"),
    }
    return render(request, "form.html", context)


@login_required
def period_detail(request, pk):
    period = _period(request, pk)
    user = request.user
    county = reads_whole_county(user)
    indicators = list(period.scheme.indicators.order_by("sort_order", "pk"))
    rows = selectors.ranking(period=period, user=user, with_scores=county)
    for row in rows:
        row.cells = [row.points.get(indicator.pk) for indicator in indicators]
    context = {
        "period": period,
        "indicators": indicators,
        "rows": rows,
        "show_scores": county,
        "previous_period": selectors.previous_period(period=period, user=user),
        "own_township_id": assessed_township_id(user),
        "can_manage": is_county_admin(user),
        "allowed": PERIOD_POLICY.allowed_actions(period, user),
        "run": selectors.latest_run(period=period) if county else None,
        "waiting_objections": list(selectors.objections_waiting(user=user, period=period)),
        "reason_form": ReasonForm(),
        "bands": list(period.scheme.grade_bands.all()),
    }
    return render(request, "assessments/period_detail.html", context)


@login_required
@require_POST
def period_compute(request, pk):
    period = _period(request, pk)
    try:
        run = services.start_computation(period=period, actor=request.user)
    except ValidationError as error:
        report_error(request, error)
        return redirect(period)
    return redirect(run)


@login_required
def run_status(request, pk):
    _check_can_view(request.user)
    if not is_county_admin(request.user):
        raise PermissionDenied(_("Only the commerce bureau computes assessment periods."))
    run = get_object_or_404(ComputationRun.objects.select_related("period__scheme"), pk=pk)
    return render(request, "assessments/run_status.html", {"run": run, "period": run.period})


def _period_action(request, pk, action, done_message):
    period = _period(request, pk)
    try:
        action(period)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, done_message)
    return redirect(period)


@login_required
@require_POST
def period_lock(request, pk):
    return _period_action(
        request,
        pk,
        lambda period: services.lock_period(period=period, actor=request.user),
        _("The period is locked: its scores no longer change."),
    )


@login_required
@require_POST
def period_publish(request, pk):
    return _period_action(
        request,
        pk,
        lambda period: services.publish_period(period=period, actor=request.user),
        _("The results are published."),
    )


@login_required
@require_POST
def period_unlock(request, pk):
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    return _period_action(
        request,
        pk,
        lambda period: services.unlock_period(period=period, actor=request.user, reason=reason),
        _("The period is unlocked for a correction; the reason is in its history."),
    )


@login_required
def period_history(request, pk):
    period = _period(request, pk)
    if not reads_whole_county(request.user):
        raise PermissionDenied(_("The period's history is for the county."))
    context = {
        "object": period,
        "rows": history_rows(period),
        "back_url": period.get_absolute_url(),
    }
    return render(request, "history.html", context)


@login_required
def period_export(request, pk):
    period = _period(request, pk)
    filename = exports.export_filename(period=period)
    workbook = exports.build_results_workbook(period=period, user=request.user)
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    return xlsx_response(workbook, filename)


# Townships and scores --------------------------------------------------------------------------


@login_required
def township_detail(request, pk, township_pk):
    period = _period(request, pk)
    township = get_object_or_404(Township, pk=township_pk)
    if not selectors.may_see_township(period=period, township=township, user=request.user):
        raise Http404
    detail = selectors.township_detail(period=period, township=township, user=request.user)
    for deduction in detail["deductions"]:
        deduction.allowed = DEDUCTION_POLICY.allowed_actions(deduction, request.user)
    context = {
        "period": period,
        "township": township,
        **detail,
        "allowed": PERIOD_POLICY.allowed_actions(period, request.user),
        "objection_form": ObjectionForm(),
    }
    return render(request, "assessments/township_detail.html", context)


@login_required
def score_detail(request, pk):
    _check_can_view(request.user)
    scores = IndicatorScore.objects.visible_to(request.user).select_related(
        "period__scheme", "township", "indicator"
    )
    score = get_object_or_404(scores, pk=pk)
    context = {
        "score": score,
        "period": score.period,
        "groups": selectors.score_records(score=score, user=request.user),
    }
    return render(request, "assessments/score_detail.html", context)


# Deductions and objections ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def deduction_create(request, pk):
    period = _period(request, pk)
    if not enters_deductions(request.user):
        raise PermissionDenied(_("Only assessors and the commerce bureau enter deductions."))
    form = DeductionForm(
        request.POST or None,
        request.FILES or None,
        period=period,
        initial={"township": request.GET.get("township")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            deduction = services.record_deduction(
                period=period, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The deduction is recorded."))
            return redirect(deduction)
    context = {"form": form, "period": period}
    return render(request, "assessments/deduction_form.html", context)


def _deduction(request, pk) -> Deduction:
    _check_can_view(request.user)
    deductions = selectors.deductions_for_list(user=request.user)
    return get_object_or_404(deductions, pk=pk)


@login_required
def deduction_detail(request, pk):
    deduction = _deduction(request, pk)
    period = deduction.period
    objections = list(deduction.objections.all())
    waiting = next((o for o in objections if o.state == ObjectionState.PENDING), None)
    if waiting is not None:
        waiting.allowed = OBJECTION_POLICY.allowed_actions(waiting, request.user)
    deadline = period.objection_deadline
    context = {
        "deduction": deduction,
        "period": period,
        "objections": objections,
        "waiting": waiting,
        "objection_deadline": deadline,
        "allowed": DEDUCTION_POLICY.allowed_actions(deduction, request.user),
        "objection_form": ObjectionForm(),
        "decision_form": DecisionForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "assessments/deduction_detail.html", context)


@login_required
@require_POST
def deduction_withdraw(request, pk):
    deduction = _deduction(request, pk)
    try:
        services.withdraw_deduction(
            deduction=deduction, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The deduction is withdrawn."))
    return redirect(deduction)


@login_required
@require_POST
def objection_file(request, pk):
    deduction = _deduction(request, pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(deduction)
    try:
        services.file_objection(
            deduction=deduction, reason=form.cleaned_data["reason"], actor=request.user
        )
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("Your objection is filed; the commerce bureau decides."))
    return redirect(deduction)


@login_required
@require_POST
def objection_decide(request, pk):
    _check_can_view(request.user)
    objection = get_object_or_404(Objection.objects.visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(objection.deduction)
    try:
        services.decide_objection(objection=objection, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("The objection is decided."))
    return redirect(objection.deduction)


@login_required
def evidence_file(request, pk):
    _check_can_view(request.user)
    evidence = get_object_or_404(
        DeductionEvidence.objects.filter(deduction__in=Deduction.objects.visible_to(request.user)),
        pk=pk,
    )
    return stored_file_response(evidence.file)


# Schemes ---------------------------------------------------------------------------------------


@login_required
def scheme_list(request):
    _check_can_view(request.user)
    context = {
        "schemes": list(selectors.schemes_for_list(user=request.user)),
        "can_manage": is_county_admin(request.user),
    }
    return render(request, "assessments/scheme_list.html", context)


@login_required
def scheme_detail(request, pk):
    _check_can_view(request.user)
    try:
        scheme = selectors.scheme_with_rows(scheme_pk=pk, user=request.user)
    except AssessmentScheme.DoesNotExist as missing:
        raise Http404 from missing
    context = {
        "scheme": scheme,
        "frozen": scheme.is_frozen,
        "can_manage": is_county_admin(request.user),
    }
    return render(request, "assessments/scheme_detail.html", context)


def _formset_inputs(formset, make):
    return [
        make(**{k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk=None):
    if not is_county_admin(request.user):
        raise PermissionDenied(_("Only the commerce bureau defines assessment schemes."))
    scheme = get_object_or_404(AssessmentScheme, pk=pk) if pk else AssessmentScheme()
    initial_indicators = [
        {
            "pk": i.pk,
            "kind": i.kind,
            "name": i.name,
            "weight": i.weight,
            "max_points": i.max_points,
            "points_per_item": i.points_per_item,
            "description": i.description,
        }
        for i in (scheme.indicators.order_by("sort_order", "pk") if pk else [])
    ]
    initial_bands = [
        {"pk": b.pk, "name": b.name, "min_score": b.min_score}
        for b in (scheme.grade_bands.all() if pk else [])
    ]
    data = request.POST if request.method == "POST" else None
    form = SchemeForm(data, instance=scheme)
    indicators = IndicatorFormSet(data, initial=initial_indicators, prefix="indicators")
    bands = BandFormSet(data, initial=initial_bands, prefix="bands")
    if request.method == "POST" and form.is_valid() and indicators.is_valid() and bands.is_valid():
        try:
            scheme = services.save_scheme(
                scheme=form.instance,
                indicators=_formset_inputs(indicators, services.IndicatorInput),
                bands=_formset_inputs(bands, services.BandInput),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The scheme is saved."))
            return redirect(scheme)
    context = {"form": form, "indicators": indicators, "bands": bands, "scheme": scheme}
    return render(request, "assessments/scheme_form.html", context)


@login_required
@require_POST
def scheme_revise(request, pk):
    scheme = get_object_or_404(AssessmentScheme, pk=pk)
    revised = services.revise_scheme(scheme=scheme, actor=request.user)
    messages.success(
        request, _("Version %(version)s is a copy to edit.") % {"version": revised.version}
    )
    return redirect("assessments:scheme-edit", pk=revised.pk)
