"""Staff pages for residents' reports: the township's (and the county office's) queue of
reports marked as from the public, each with its photos, the reply the resident reads, a
merge into an existing case, and the commerce bureau's review of held reports; and the
commerce bureau's printable placards (public.placards). Who may do
what is `public.policy`; the pages only render its allowed actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_county_admin
from agencies.models import Township
from anji_recycling.views import ScopedListView, stored_file_response
from sites.models import Site

from . import placards, policy, selectors, services
from .choices import ReportAction
from .filters import PublicReportFilterSet
from .models import PublicReport, PublicReportPhoto
from .staff_forms import MergeForm, RejectForm, ReplyForm


class ReportListView(ScopedListView):
    """群众举报 queue: the township's own, the county office all; held ones marked."""

    model = PublicReport
    filterset_class = PublicReportFilterSet
    template_name = "public/staff/report_list.html"

    def get_queryset(self):
        if not self.request.user.has_perm("public.view_publicreport"):
            raise PermissionDenied
        return selectors.reports_for_queue(user=self.request.user).order_by("-created_at")


def _report_for(user, pk) -> PublicReport:
    if not user.has_perm("public.view_publicreport"):
        raise PermissionDenied
    return get_object_or_404(selectors.reports_for_queue(user=user), pk=pk)


@login_required
def report_detail(request, pk):
    report = _report_for(request.user, pk)
    actions = policy.allowed_actions(report, request.user)
    context = {
        "report": report,
        "actions": actions,
        "reply_form": ReplyForm(
            initial={"status": report.reply_status or "received", "reply": report.reply}
        ),
        "merge_form": MergeForm(),
        "reject_form": RejectForm(),
        "public_status": selectors.public_status(
            report.case.status if report.case else None,
            state=report.state,
            reply_status=report.reply_status,
        ),
    }
    return render(request, "public/staff/report_detail.html", context)


@login_required
@require_POST
def report_act(request, pk):
    report = _report_for(request.user, pk)
    action = request.POST.get("action", "")
    try:
        _act(report=report, actor=request.user, action=action, data=request.POST)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    else:
        messages.success(request, _("Saved."))
    return redirect("public-staff:report-detail", pk=report.pk)


def _act(*, report, actor, action, data) -> None:
    if action == ReportAction.REPLY:
        form = ReplyForm(data)
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        services.reply_to_report(
            report=report,
            actor=actor,
            status=form.cleaned_data["status"],
            reply=form.cleaned_data["reply"],
        )
    elif action == ReportAction.MERGE:
        services.merge_report_case(report=report, actor=actor, into_number=data.get("into", ""))
    elif action == ReportAction.RELEASE:
        services.release_held_report(report=report, actor=actor)
    elif action == ReportAction.REJECT:
        services.reject_held_report(report=report, actor=actor, reason=data.get("comment", ""))
    else:
        policy.ensure_allowed(report, actor, action)  # the unknown action's message


@login_required
def report_photo(request, pk):
    """A report's photo, for the report's township and the county office only."""
    if not request.user.has_perm("public.view_publicreportphoto"):
        raise PermissionDenied
    photo = get_object_or_404(PublicReportPhoto.objects.visible_to(request.user), pk=pk)
    return stored_file_response(photo.image)


def _placard_options(request) -> tuple[str, str]:
    size = request.GET.get("size", "a5")
    kind = request.GET.get("format", "png")
    if size not in placards.SIZES_MM or kind not in placards.FORMATS:
        raise Http404
    return size, kind


def _ensure_county_admin(user) -> None:
    if not is_county_admin(user):
        raise PermissionDenied(_("Placards are printed by the commerce bureau."))


@login_required
def placard_index(request):
    """The commerce bureau's placard page: one site by its number, or a township's zip."""
    _ensure_county_admin(request.user)
    context = {
        "townships": Township.objects.order_by("code").values("code", "name"),
        "sizes": [("a5", "A5"), ("a4", "A4")],
        "formats": [("png", "PNG"), ("pdf", "PDF")],
        "code": request.GET.get("code", "").strip()[:32],
    }
    if context["code"]:
        pk = Site.objects.filter(code=context["code"]).values_list("pk", flat=True).first()
        if pk and selectors.public_site(pk=pk):
            return redirect(
                f"{reverse('public-staff:placard-site', args=[pk])}?{request.GET.urlencode()}"
            )
        context["not_found"] = _(
            "No operating site has this number: placards are for operating sites."
        )
    return render(request, "public/staff/placards.html", context)


@login_required
def placard_site(request, pk):
    _ensure_county_admin(request.user)
    size, kind = _placard_options(request)
    site = selectors.public_site(pk=pk)
    if site is None:
        raise Http404
    response = HttpResponse(
        placards.placard_bytes(site, size=size, kind=kind), content_type=placards.FORMATS[kind]
    )
    response["Content-Disposition"] = content_disposition_header(
        True, placards.file_name(site, kind)
    )
    return response


@login_required
def placard_township(request, code):
    """A township's placards, one per operating site, as a zip streamed a placard at a time."""
    _ensure_county_admin(request.user)
    size, kind = _placard_options(request)
    township = get_object_or_404(Township, code=code)
    sites = selectors.township_sites_for_placards(township_id=township.pk)
    response = StreamingHttpResponse(
        placards.streamed_zip(sites, size=size, kind=kind), content_type="application/zip"
    )
    name = f"{township.code}-{size}-{kind}.zip"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
