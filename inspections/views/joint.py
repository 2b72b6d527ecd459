"""A site's joint actions (联合执法): the site page's block (assemble one, when the site policy
allows) and the joint action's page, whose buttons the joint-action policy decides. Views parse
input and call inspections/joint.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anji_recycling.views import report_error, report_form_errors
from sites.models import Site

from .. import joint
from ..choices import JointActionStep, SiteAction
from ..joint_forms import AssembleForm, CloseJointActionForm, JointAgencyForm, JointDateForm


def _visible_site(request, pk):
    return get_object_or_404(
        Site.objects.visible_to(request.user).select_related("township"), pk=pk
    )


@login_required
def site_joint_actions(request, site_pk):
    """The site's joint actions the user sees, and the form to assemble one: a fragment for the
    site page (fetched by static/js/portal.js), or with ?full=1 a page of its own."""
    site = _visible_site(request, site_pk)
    allowed = joint.SITE_POLICY.allowed_actions(site, request.user)
    full = bool(request.GET.get("full"))
    context = {
        "site": site,
        "actions": list(joint.joint_actions_for(user=request.user, site=site)),
        "allowed": allowed,
        "assemble_form": AssembleForm() if SiteAction.ASSEMBLE in allowed else None,
        "full": full,
    }
    template = "inspections/joint_site.html" if full else "inspections/joint_site_fragment.html"
    return render(request, template, context)


@login_required
@require_POST
def site_joint_assemble(request, site_pk):
    site = _visible_site(request, site_pk)
    form = AssembleForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(f"{site.get_absolute_url()}#joint-actions")
    try:
        action = joint.assemble_joint_action(site=site, actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
        return redirect(f"{site.get_absolute_url()}#joint-actions")
    messages.success(request, _("Joint action assembled: every agency is told."))
    return redirect(action)


def _visible_action(request, pk):
    return get_object_or_404(joint.joint_actions_for(user=request.user), pk=pk)


@login_required
def joint_action_detail(request, pk):
    action = _visible_action(request, pk)
    allowed = joint.JOINT_ACTION_POLICY.allowed_actions(action, request.user)
    return render(
        request,
        "inspections/joint_action_detail.html",
        {
            "action": action,
            "members": list(action.members.all()),
            "reports": list(joint.reports_of_action(action=action, user=request.user)),
            "allowed": allowed,
            "steps": JointActionStep,
            "agency_form": JointAgencyForm(),
            "date_form": JointDateForm(initial={"on": action.joint_inspection_on}),
            "close_form": CloseJointActionForm(),
            "history": action.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


STEPS = {
    JointActionStep.ADD_AGENCY: (
        JointAgencyForm,
        joint.add_joint_agency,
        _("The agency is added and told."),
    ),
    JointActionStep.REMOVE_AGENCY: (
        JointAgencyForm,
        joint.remove_joint_agency,
        _("The agency is removed from the joint action."),
    ),
    JointActionStep.SET_JOINT_INSPECTION: (
        JointDateForm,
        joint.set_joint_action_inspection,
        _("The agencies are told of the joint inspection."),
    ),
    JointActionStep.CLOSE: (
        CloseJointActionForm,
        joint.close_joint_action,
        _("The joint action is closed."),
    ),
}


@login_required
@require_POST
def joint_action_step(request, pk, step):
    action = _visible_action(request, pk)
    if step not in STEPS:
        raise PermissionDenied(_("Unknown action: %(action)s.") % {"action": step})
    form_class, service, done = STEPS[step]
    form = form_class(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(action)
    try:
        service(action=action, actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        report_error(request, error)
    else:
        messages.success(request, str(done))
    return redirect(action)
