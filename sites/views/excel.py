"""Excel pages: the rosters filtered like the lists, the import template, the import with its
dry run, and the background jobs that write large rosters and apply imports."""

from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.access import has_role
from accounts.choices import SecurityEventKind
from accounts.services import record_security_event
from anji_recycling import leases
from anji_recycling.views import stored_file_response
from anji_recycling.xlsx import XLSX_CONTENT_TYPE, xlsx_response

from .. import exports, imports
from ..jobs import CHECKED, EXPORTERS, IMPORTERS, UPLOADED, importer_for
from ..models import BackgroundJob

PROBLEMS_SHOWN = 500  # the marked workbook carries them all


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        imports.refuse_upload_at_once(upload)
        return upload


def _check_can_export(user):
    if not has_role(user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))


def _check_can_import(user, kind=BackgroundJob.Kind.ROSTER_IMPORT):
    importer = importer_for(kind)
    if not importer.may_import(user):
        raise PermissionDenied(str(importer.refusal))


def _own_job(request, job_pk, kinds=None):
    """A background job of the user's own: anybody else's is not found."""
    jobs = BackgroundJob.objects.filter(owner=request.user)
    if kinds:
        jobs = jobs.filter(kind__in=kinds)
    return get_object_or_404(jobs, pk=job_pk)


def _export(request, kind):
    _check_can_export(request.user)
    filterset = exports.roster_filterset(kind=kind, user=request.user, params=request.GET)
    scope = exports.scope_name(user=request.user, filterset=filterset)
    filename = exports.roster_filename(kind=kind, scope=scope, as_of=timezone.localdate())
    queryset = filterset.qs
    if queryset.count() > exports.large_export_rows():
        job = exports.start_export_job(
            kind=kind, owner=request.user, params=request.GET, filename=filename
        )
        messages.info(
            request,
            _(
                "The roster has more than %(count)s rows: it is being written in the "
                "background. Download it from this page when it is ready."
            )
            % {"count": exports.large_export_rows()},
        )
        return redirect("sites:job-status", job_pk=job.pk)
    workbook = exports.build_roster_workbook(kind=kind, queryset=queryset, scope=scope)
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    return xlsx_response(workbook, filename)


@login_required
def export_sites(request):
    return _export(request, BackgroundJob.Kind.SITE_EXPORT)


@login_required
def export_operators(request):
    return _export(request, BackgroundJob.Kind.OPERATOR_EXPORT)


@login_required
def import_template(request):
    _check_can_import(request.user)
    return xlsx_response(imports.template_workbook(), imports.TEMPLATE_FILENAME)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    _check_can_import(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.start_import(upload=form.cleaned_data["file"], user=request.user)
        return redirect("sites:job-status", job_pk=job.pk)
    context = {
        "form": form,
        "recent_jobs": imports.recent_imports(user=request.user),
        "limits": imports.import_limits(),
    }
    return render(request, "sites/import_upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request, job_pk):
    """The check's findings of any registered import, and its confirmation."""
    job = _own_job(request, job_pk, list(IMPORTERS))
    _check_can_import(request.user, job.kind)
    importer = importer_for(job.kind)
    if job.result.get("stage") != CHECKED:  # being checked, refused, or sent for writing
        return redirect("sites:job-status", job_pk=job.pk)
    if request.method == "POST":
        try:
            imports.confirm_import(job=job, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sites:import-review", job_pk=job.pk)
        return redirect("sites:job-status", job_pk=job.pk)
    problems = [imports.Problem(**problem) for problem in job.result.get("problems", [])]
    summary = job.result.get("summary", {})
    context = {
        "job": job,
        "importer": importer,
        "count_rows": _count_rows(importer, summary),
        "summary": summary,
        "problems": problems[:PROBLEMS_SHOWN],
        "problem_count": len(problems),
        "more_problems": max(len(problems) - PROBLEMS_SHOWN, 0),
        "can_confirm": job.state == BackgroundJob.State.PENDING and not problems,
    }
    return render(request, "sites/import_review.html", context)


@login_required
def import_marked_sheet(request, job_pk):
    job = _own_job(request, job_pk, list(IMPORTERS))
    _check_can_import(request.user, job.kind)
    if not job.input_file:
        raise Http404
    importer = importer_for(job.kind)
    with job.input_file.open("rb") as handle:
        workbook = imports.marked_workbook(
            handle, job.result.get("problems", []), find_sheets=importer.find_sheets
        )
    stem = PurePath(job.result.get("filename") or "import.xlsx").stem
    return xlsx_response(workbook, f"{stem}_错误标注.xlsx")


def _count_rows(importer, counts) -> list:
    """(label, created, updated, unchanged) for each sheet the import writes."""
    return [
        (
            label,
            counts.get(key, {}).get("created", 0),
            counts.get(key, {}).get("updated", 0),
            counts.get(key, {}).get("unchanged", 0),
        )
        for key, label in importer.counts
    ]


@login_required
def job_status(request, job_pk):
    job = _own_job(request, job_pk)
    is_import = job.kind in IMPORTERS
    importer = importer_for(job.kind) if is_import else None
    if is_import and job.result.get("stage") == CHECKED:
        # The check is done: its findings, and the confirmation (the page's script follows
        # this redirect when the check ends while the user watches).
        return redirect("sites:import-review", job_pk=job.pk)
    context = {
        "job": job,
        "working": job.state in (BackgroundJob.State.PENDING, BackgroundJob.State.RUNNING),
        "checking": is_import and job.result.get("stage") == UPLOADED,
        "refusal": job.result.get("refusal") or [],
        "max_attempts": leases.max_attempts(),
        "is_import": is_import,
        "importer": importer,
        "applied": job.result.get("applied"),
        "applied_rows": _count_rows(importer, job.result.get("applied") or {}) if is_import else [],
        "can_download": job.state == BackgroundJob.State.DONE and bool(job.result_file),
    }
    return render(request, "sites/job_status.html", context)


@login_required
def job_download(request, job_pk):
    job = _own_job(request, job_pk, list(EXPORTERS))
    if job.state != BackgroundJob.State.DONE or not job.result_file:
        raise Http404
    filename = job.result.get("filename") or PurePath(job.result_file.name).name
    record_security_event(
        kind=SecurityEventKind.EXPORT, request=request, user=request.user, detail=filename
    )
    return stored_file_response(job.result_file, filename=filename, content_type=XLSX_CONTENT_TYPE)
