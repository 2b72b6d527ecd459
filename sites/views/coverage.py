"""Coverage of villages and townships against the year's targets (覆盖率)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import has_role

from ..coverage import FIRST_YEAR, LAST_YEAR, coverage_for_year, unserved_villages


class CoverageYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


def _selectable_years(*, current: int, chosen: int) -> list[int]:
    """From the first year the portal knows to next year, and the chosen year if outside."""
    return sorted({*range(FIRST_YEAR, current + 2), chosen}, reverse=True)


@login_required
def coverage(request):
    if not has_role(request.user):
        raise PermissionDenied(_("Your account has no role yet: ask the commerce bureau."))
    current_year = timezone.localdate().year
    form = CoverageYearForm({"year": request.GET.get("year") or current_year})
    year = form.cleaned_data["year"] if form.is_valid() else current_year
    report = coverage_for_year(user=request.user, year=year)
    context = {
        "form": form,
        "year": year,
        "years": _selectable_years(current=current_year, chosen=year),
        "report": report,
        "unserved_villages": unserved_villages(user=request.user),
    }
    return render(request, "sites/coverage.html", context)
