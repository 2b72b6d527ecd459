"""Case queues, the case page and its actions. Views parse input and call services; the
state machine decides what may happen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from accounts.access import has_role, is_agency_officer, is_township_user
from accounts.choices import Role
from accounts.selectors import officers
from anji_recycling.views import (
    ScopedListView,
    report_error,
    report_form_errors,
    stored_file_response,
)

from .. import bulk, selectors, services
from ..bulk import CASE_BULK_ACTIONS
from ..case_forms import (
    AssignForm,
    AssistingForm,
    BulkCaseActionForm,
    CaseActionForm,
    DecisionForm,
    EnforcementForm,
    JointInspectionForm,
    RerouteForm,
    TimeRequestForm,
)
from ..case_parts import agency_parts
from ..choices import SETBACK_ACTIONS, CaseAction, CaseSideAction, RequestAction
from ..filters import CaseFilterSet
from ..lifecycle import case_progress
from ..models import Case, CaseRequest, Evidence, Inspection
from ..policy import CASE_POLICY, REQUEST_POLICY


class CaseListView(ScopedListView):
    """The work queue: an agency its routed cases, a township its own, the bureau all."""

    model = Case
    filterset_class = CaseFilterSet
    template_name = "inspections/case_list.html"

    def get_queryset(self):
        # The cases' policy is read for the bulk actions (the joint action's parts too).
        return selectors.cases_to_act_on(user=self.request.user).order_by(
            F("stage_deadline").asc(nulls_last=True), "-reported_at"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        bulk = set()
        for case in context["object_list"]:
            case.bulk_actions = [a for a in CASE_BULK_ACTIONS if CASE_POLICY.may(case, user, a)]
            bulk.update(case.bulk_actions)
        context["bulk_actions"] = [(a, CaseAction(a).label) for a in CASE_BULK_ACTIONS if a in bulk]
        context["scope"] = (
            user.agency
            if is_agency_officer(user)
            else user.township
            if is_township_user(user)
            else None
        )
        return context


class CaseDetailView(DetailView):
    template_name = "inspections/case_detail.html"
    context_object_name = "case"

    def get_object(self, queryset=None):
        if not has_role(self.request.user):
            raise PermissionDenied
        try:
            return selectors.case_for_page(user=self.request.user, pk=self.kwargs["pk"])
        except Case.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        allowed = CASE_POLICY.allowed_actions(case, user)
        context.update(
            allowed=allowed,
            agency_parts=agency_parts(case, user),
            progress=case_progress(case),
            actions=[
                (a, CaseAction(a).label, a in SETBACK_ACTIONS)
                for a in allowed
                if a in CaseAction.values
            ],
            action_form=CaseActionForm(),
            reroute_form=RerouteForm(
                initial={
                    "lead_agency": case.lead_agency_id,
                    # A joint case keeps its previous lead in the joint action unless unticked.
                    "previous_lead_assists": bool(case.assisting_agencies.all()),
                }
            ),
            time_form=TimeRequestForm(),
            enforcement_form=EnforcementForm(),
            assign_form=_assign_form(case) if CaseSideAction.ASSIGN in allowed else None,
            assisting_form=AssistingForm(),
            decision_form=DecisionForm(),
            decidable_requests=[
                r for r in case.requests.all() if REQUEST_POLICY.may(r, user, RequestAction.DECIDE)
            ],
        )
        return context


@login_required
@require_POST
def cases_bulk_act(request):
    """立案 (or 派遣) of the cases ticked on the list; back to the list as it was."""
    form = BulkCaseActionForm(request.POST, user=request.user)
    if not form.is_valid():
        report_form_errors(request, form)
    else:
        action, cases = form.cleaned_data["action"], list(form.cleaned_data["cases"])
        try:
            count = bulk.transition_cases(cases=cases, action=action, actor=request.user)
        except ValidationError as error:
            report_error(request, error)
        else:
            messages.success(
                request,
                ngettext("%(action)s: %(count)d case.", "%(action)s: %(count)d cases.", count)
                % {"action": CaseAction(action).label, "count": count},
            )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("inspections:case-list")


def _assign_form(case, data=None):
    people = officers(role=Role.AGENCY_OFFICER, agency_ids=[case.lead_agency_id])
    return AssignForm(data, officers=people.order_by("username"))


def _visible_case(request, pk):
    return get_object_or_404(Case.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def case_act(request, pk):
    case = _visible_case(request, pk)
    form = CaseActionForm(request.POST, request.FILES)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(case)
    action = form.cleaned_data["action"]
    try:
        services.transition_case(
            case=case,
            action=action,
            actor=request.user,
            comment=form.cleaned_data["comment"],
            attachments=form.cleaned_data["attachments"],
        )
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": CaseAction(action).label})
    return redirect(case)


@login_required
@require_POST
def case_reroute(request, pk):
    case = _visible_case(request, pk)
    form = RerouteForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(case)
    try:
        services.reroute_case(
            case=case,
            lead_agency=form.cleaned_data["lead_agency"],
            actor=request.user,
            comment=form.cleaned_data["comment"],
            previous_lead_assists=form.cleaned_data["previous_lead_assists"],
        )
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("The case has a new lead."))
    return redirect(case)


@login_required
@require_POST
def case_assign(request, pk):
    case = _visible_case(request, pk)
    form = _assign_form(case, request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(case)
    try:
        services.assign_case(case=case, officer=form.cleaned_data["officer"], actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("Assigned."))
    return redirect(case)


@login_required
@require_POST
def case_request_time(request, pk):
    case = _visible_case(request, pk)
    form = TimeRequestForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(case)
    try:
        services.request_more_time(case=case, actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("Request sent to the commerce bureau."))
    return redirect(case)


@login_required
@require_POST
def request_decide(request, pk):
    cases = Case.objects.visible_to(request.user)
    time_request = get_object_or_404(CaseRequest.objects.filter(case__in=cases), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(time_request.case)
    try:
        services.decide_request(
            request=time_request,
            approve=form.cleaned_data["approve"],
            comment=form.cleaned_data["comment"],
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect(time_request.case)


@login_required
@require_POST
def case_enforcement(request, pk):
    case = _visible_case(request, pk)
    form = EnforcementForm(request.POST, instance=None)
    form.instance.case = case
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(case)
    try:
        services.record_enforcement_action(action=form.instance, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("Enforcement action recorded."))
    return redirect(case)


def _agency_and_reason(request, pk, *, service, done: str):
    """A joint-action form (an agency and the reason) on the case page, through `service`."""
    case = _visible_case(request, pk)
    form = AssistingForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(case)
    try:
        service(
            case=case,
            agency=form.cleaned_data["agency"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, done)
    return redirect(case)


@login_required
@require_POST
def case_assisting(request, pk):
    """Add an assisting agency to the case's joint action, or remove one, with the reason."""
    remove = request.POST.get("remove") in ("on", "true", "1")
    service = services.remove_assisting_agency if remove else services.add_assisting_agency
    return _agency_and_reason(request, pk, service=service, done=_("The joint action is updated."))


@login_required
@require_POST
def case_finish_part(request, pk):
    """An assisting agency marks its part of the joint action done."""
    case = _visible_case(request, pk)
    try:
        services.finish_part(case=case, actor=request.user, note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("Your agency's part is marked done."))
    return redirect(case)


@login_required
@require_POST
def case_waive_part(request, pk):
    """The commerce bureau waives an assisting agency's open part, with the reason."""
    return _agency_and_reason(
        request, pk, service=services.waive_part, done=_("The part is waived.")
    )


@login_required
@require_POST
def case_joint_inspection(request, pk):
    """The commerce bureau or the township sets the day of the joint inspection."""
    case = _visible_case(request, pk)
    form = JointInspectionForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(case)
    try:
        services.set_joint_inspection(case=case, actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, _("The agencies are told of the joint inspection."))
    return redirect(case)


@login_required
def evidence_file(request, pk):
    """A photo or document of a finding or a case step, for users who may see its case or
    report."""
    cases = Case.objects.visible_to(request.user)
    inspections = Inspection.objects.visible_to(request.user)
    evidence = get_object_or_404(
        Evidence.objects.filter(
            Q(finding__inspection__in=inspections) | Q(event__case__in=cases)
        ).distinct(),
        pk=pk,
    )
    return stored_file_response(evidence.file)
