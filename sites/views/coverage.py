"""Placeholder until its part of the site-registry issue lands (stubs keep the URLconf loading)."""

from django.http import Http404


def coverage(request):
    raise Http404
