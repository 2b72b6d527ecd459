"""Placeholder until its part of the site-registry issue lands (stubs keep the URLconf loading)."""

from django.http import Http404


def _pending(request, *args, **kwargs):
    raise Http404


export_sites = export_operators = import_template = import_upload = _pending
import_review = import_marked_sheet = job_status = job_download = _pending
