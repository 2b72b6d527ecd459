"""Filing a patrol report from a phone: choose the site (nearest first), fill in the report,
or record an unregistered illegal point first; and the pages listing and showing reports.

Views parse input and call the services (file_inspection, register_site); the services check
the rules and are atomic, so a refused report leaves nothing behind."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Min, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.access import township_scope
from agencies.routing import NoDutyRule
from anji_recycling.nearest import distance_km, squared_distance
from anji_recycling.views import ScopedDetailView, ScopedListView
from sites import services as site_services
from sites.models import Site

from .. import selectors
from ..choices import SiteAction
from ..filters import InspectionFilterSet
from ..forms import (
    FINDINGS_PREFIX,
    FindingFormSet,
    IllegalPointForm,
    ReportForm,
    SiteSearchForm,
)
from ..joint import SITE_POLICY, action_of_report, mark_routing, present_agencies
from ..joint_forms import offer_present_officers
from ..models import Finding, Inspection
from ..services import file_inspection

FILE_PERMISSION = "inspections.add_inspection"
SITES_PER_PAGE = 20


def may_file(view):
    """Grid workers, township officers and the commerce bureau file reports (403 for others,
    the login page for visitors)."""
    return login_required(permission_required(FILE_PERMISSION, raise_exception=True)(view))


# Choosing the site ---------------------------------------------------------------------------


def sites_to_choose(*, user, query: str = "", position=None):
    """The sites a user may report on, matching the search; nearest first when the phone gave
    its position (squared distance in the database, longitude scaled by cos(latitude))."""
    sites = Site.objects.visible_to(user).select_related("township", "village", "operator")
    if query:
        sites = sites.filter(
            Q(name__icontains=query)
            | Q(code__icontains=query)
            | Q(address__icontains=query)
            | Q(operator__name__icontains=query)
        )
    if position is None:
        return sites.order_by("township__code", "tier", "code")
    return sites.annotate(distance2=squared_distance(*position)).order_by(
        F("distance2").asc(nulls_last=True), "code"
    )


def distance_label(distance2) -> str:
    """“about 300 m away”, for a `squared_distance`; empty when unknown."""
    km = distance_km(distance2)
    if km is None:
        return ""
    if km < 1:
        return _("about %(metres)s m away") % {"metres": max(10, round(km * 100) * 10)}
    return _("about %(km)s km away") % {"km": f"{km:.1f}"}


@may_file
def choose_site(request):
    form = SiteSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    position = form.position()
    paginator = Paginator(
        sites_to_choose(user=request.user, query=query, position=position), SITES_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    for site in page.object_list:
        site.distance_label = distance_label(getattr(site, "distance2", None))
    params = request.GET.copy()
    params.pop("page", None)
    illegal_point_url = reverse("inspections:report-illegal-point")
    if position is not None:
        illegal_point_url += "?" + urlencode({"lat": position[0], "lng": position[1]})
    return render(
        request,
        "inspections/report_choose_site.html",
        {
            "form": form,
            "query": query,
            "position": position,
            "page_obj": page,
            "sites": page.object_list,
            "is_paginated": page.has_other_pages(),
            "querystring": params.urlencode(),
            "scope": request.user.township if township_scope(request.user) else None,
            "illegal_point_url": illegal_point_url,
        },
    )


# Filing the report ---------------------------------------------------------------------------


def _add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: on the field it names when the form has it,
    otherwise at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _initial_position(request) -> dict:
    search = SiteSearchForm(request.GET)
    position = search.position()
    return {"latitude": position[0], "longitude": position[1]} if position else {}


def _case_links(cases) -> str:
    return format_html_join(
        "、",
        '<a href="{}">{}</a>（{}）',
        ((case.get_absolute_url(), case.number, case.lead_label) for case in cases),
    )


def _filed_message(inspection: Inspection) -> str:
    """Names the cases the report opened and those it joined (an open case of the same
    problem at the site), with links."""
    findings = list(inspection.findings.select_related("case__lead_agency", "case__township"))
    if not findings:
        return _("Report filed: no problem found at %(site)s.") % {"site": inspection.site}
    cases = {finding.case_id: finding.case for finding in findings}
    first_findings = (
        Finding.objects.filter(case__in=cases.keys()).values("case").annotate(first=Min("pk"))
    )
    own = {finding.pk for finding in findings}
    opened_ids = {row["case"] for row in first_findings if row["first"] in own}
    opened = [case for pk, case in cases.items() if pk in opened_ids]
    joined = [case for pk, case in cases.items() if pk not in opened_ids]
    parts = [conditional_escape(_("Report filed."))]
    if opened:
        parts.append(
            conditional_escape(_("Cases opened: %(cases)s.")) % {"cases": _case_links(opened)}
        )
    if joined:
        parts.append(
            conditional_escape(_("Added to open cases: %(cases)s."))
            % {"cases": _case_links(joined)}
        )
    return mark_safe(" ".join(parts))  # every part is escaped above


def _from_outbox(request) -> bool:
    """The phone's outbox (static/js/pwa.js) sends a report filed offline and wants JSON."""
    return request.headers.get("X-Requested-With") == "outbox"


def _outbox_answer(inspection=None, *, form=None, formset=None) -> JsonResponse:
    """201 (200 when sent before) with the inspection's address, or 400 with the messages."""
    if inspection is not None:
        return JsonResponse(
            {
                "inspection": inspection.pk,
                "url": inspection.get_absolute_url(),
                "replayed": inspection.replayed,
            },
            status=200 if inspection.replayed else 201,
        )
    errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    errors += [str(message) for message in formset.non_form_errors()]
    for finding_form in formset.forms:
        errors += [str(m) for messages_ in finding_form.errors.values() for m in messages_]
    return JsonResponse({"errors": errors or [_("The report was not accepted.")]}, status=400)


@may_file
def file_report(request, site_pk):
    site = get_object_or_404(
        Site.objects.visible_to(request.user).select_related("township", "village", "operator"),
        pk=site_pk,
    )
    items, left_out = selectors.checklist_for(site)
    # An unregistered point is a problem in itself: no "no problem", its problem written down.
    unregistered = bool(left_out)
    joint = SITE_POLICY.may(site, request.user, SiteAction.FILE_JOINT_INSPECTION)
    if request.method == "POST":
        form = ReportForm(request.POST, items=items, unregistered=unregistered)
        if joint:
            offer_present_officers(form)
        formset = FindingFormSet(request.POST, request.FILES, prefix=FINDINGS_PREFIX)
        if all([form.is_valid(), formset.is_valid()]):  # both, so every error shows
            inspection = _file(request, site=site, form=form, formset=formset)
            if _from_outbox(request) and inspection is not None:
                return _outbox_answer(inspection)
            if inspection is not None and inspection.replayed:
                messages.info(request, _("This report had already been filed: here it is."))
                return redirect(inspection)
            if inspection is not None:
                messages.success(request, _filed_message(inspection))
                return redirect(inspection)
        if _from_outbox(request):
            return _outbox_answer(form=form, formset=formset)
        if formset.has_photos():
            form.add_error(None, _("Nothing was saved: choose the photos again."))
    else:
        form = ReportForm(
            items=items, initial=_initial_position(request), unregistered=unregistered
        )
        if joint:
            offer_present_officers(form)
        formset = FindingFormSet(prefix=FINDINGS_PREFIX, initial=_unregistered_findings(left_out))
    return render(
        request,
        "inspections/report_form.html",
        {
            "site": site,
            "form": form,
            "formset": formset,
            "unregistered": unregistered,
            "joint": joint,
        },
    )


def _unregistered_findings(left_out) -> list[dict]:
    """The problem an unregistered point is, from the first question it leaves out."""
    category = next((item.category for item in left_out if item.category_id), None)
    if category is None:
        return []
    return [
        {
            "category": category,
            "description": _("Recycling point not in the registry: %(category)s.")
            % {"category": category},
        }
    ]


def _file(request, *, site, form, formset):
    """Call the service; its refusals land on the form (PermissionDenied becomes a 403)."""
    data = form.cleaned_data
    try:
        return file_inspection(
            site=site,
            inspector=request.user,
            result=data["result"],
            answers=form.answers(),
            findings=formset.finding_inputs(),
            inspected_at=data["inspected_at"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            note=data["note"],
            idempotency_key=data["idempotency_key"],
            present=list(data.get("present_officers") or ()),
        )
    except ValidationError as error:
        _add_service_errors(form, error)
    except NoDutyRule as error:
        form.add_error(None, str(error))
    return None


# Recording an illegal point ------------------------------------------------------------------


@may_file
def record_illegal_point(request):
    if request.method == "POST":
        form = IllegalPointForm(request.POST, user=request.user)
        if form.is_valid():
            site = _register_illegal_point(request, form)
            if site is not None:
                messages.success(
                    request,
                    _("Illegal point recorded as %(code)s. Now record what you found there.")
                    % {"code": site.code},
                )
                url = reverse("inspections:report-file", args=[site.pk])
                query = urlencode({"lat": site.latitude, "lng": site.longitude})
                return redirect(f"{url}?{query}")
    else:
        form = IllegalPointForm(user=request.user, initial=_initial_position(request))
    return render(request, "inspections/report_illegal_point.html", {"form": form})


def _register_illegal_point(request, form):
    data = form.cleaned_data
    try:
        return site_services.record_illegal_point(actor=request.user, **data)
    except ValidationError as error:
        _add_service_errors(form, error)
    return None


# Reports: list and page ----------------------------------------------------------------------


class InspectionListView(ScopedListView):
    """Patrol reports the user may see, newest first, with the cases they opened or joined."""

    model = Inspection
    filterset_class = InspectionFilterSet
    template_name = "inspections/inspection_list.html"

    def get_queryset(self):
        return selectors.inspections_for_list(user=self.request.user).prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("case"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["scope"] = user.township if township_scope(user) else None
        context["can_file"] = user.has_perm(FILE_PERMISSION)
        for inspection in context["object_list"]:
            # Two findings of one kind share a case: list each case once.
            cases = {f.case_id: f.case for f in inspection.findings.all() if f.case_id}
            inspection.case_list = list(cases.values())
        return context


class InspectionDetailView(ScopedDetailView):
    """One report: checklist answers, findings with photos, and the cases with status and lead."""

    model = Inspection
    template_name = "inspections/inspection_detail.html"
    context_object_name = "inspection"

    def get_object(self, queryset=None):
        try:
            return selectors.inspection_for_page(user=self.request.user, pk=self.kwargs["pk"])
        except Inspection.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.object
        findings = list(inspection.findings.all())
        case_ids = {finding.case_id for finding in findings if finding.case_id}
        # The cases as the user may see them, with their lead and helpers, in two queries.
        visible = {
            case.pk: case
            for case in selectors.cases_for_list(user=self.request.user).filter(pk__in=case_ids)
        }
        for finding in findings:
            finding.visible_case = visible.get(finding.case_id)
        present = present_agencies(inspection, findings)
        mark_routing(findings, present)
        context.update(
            present_agencies=present,
            joint_action=action_of_report(inspection=inspection, user=self.request.user),
            answers=sorted(
                inspection.answers.all(), key=lambda a: (a.item.sort_order, a.item.code)
            ),
            findings=findings,
            can_file=self.request.user.has_perm(FILE_PERMISSION),
        )
        return context
