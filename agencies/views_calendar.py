"""The working-day calendar's pages: a year's holidays and make-up days as the county entered
them from the State Council's notice, edited by the commerce bureau."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import has_role, is_county_admin
from anji_recycling.views import ServiceCreateView, ServiceUpdateView, report_error

from . import selectors, services
from .forms import CalendarYearCompleteForm, CalendarYearReopenForm, HolidayArrangementForm
from .models import HolidayArrangement


def calendar_url(year: int) -> str:
    return f"{reverse('agencies:calendar')}?year={year}"


def _year_asked(request, *, years: list[int], default: int) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return default
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year not in years:
        messages.error(
            request,
            _("There is no calendar for %(year)s here: choose one of %(first)s to %(last)s.")
            % {"year": raw[:10], "first": years[0], "last": years[-1]},
        )
        return default
    return year


@login_required
def calendar(request):
    if not has_role(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    years = selectors.calendar_years(user=request.user, today=today)
    to_enter = selectors.years_to_enter(today=today)
    year = _year_asked(request, years=years, default=to_enter[-1] if to_enter else today.year)
    context = {
        "overview": selectors.calendar_year_overview(user=request.user, year=year),
        "years": years,
        "can_edit": is_county_admin(request.user),
        "complete_form": CalendarYearCompleteForm(),
        "reopen_form": CalendarYearReopenForm(),
    }
    return render(request, "agencies/calendar.html", context)


class HolidayArrangementFormMixin:
    model = HolidayArrangement
    form_class = HolidayArrangementForm

    def save_with_service(self, *, obj, actor):
        return services.save_holiday_arrangement(arrangement=obj, actor=actor)

    def get_success_url(self):
        return calendar_url(self.object.day.year)


class HolidayArrangementCreateView(HolidayArrangementFormMixin, ServiceCreateView):
    permission_required = "agencies.add_holidayarrangement"
    success_message = _("Saved. Deadlines that count this day are being recomputed.")

    def get_initial(self):
        initial = super().get_initial()
        year = self.request.GET.get("year", "")
        if year.isdigit():
            initial["day"] = f"{int(year):04d}-01-01"
        return initial

    def get_cancel_url(self):
        year = self.request.GET.get("year", "")
        return calendar_url(int(year)) if year.isdigit() else reverse("agencies:calendar")


class HolidayArrangementUpdateView(HolidayArrangementFormMixin, ServiceUpdateView):
    success_message = _("Saved. Deadlines that count this day are being recomputed.")

    def get_cancel_url(self):
        return calendar_url(self.object.day.year)


def _editable_arrangement(request, pk) -> HolidayArrangement:
    visible = HolidayArrangement.objects.visible_to(request.user)
    arrangement = get_object_or_404(visible, pk=pk)
    if not HolidayArrangement.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You may view this record but not change it."))
    return arrangement


@login_required
def holiday_arrangement_delete(request, pk):
    """GET asks for confirmation; POST deletes (the history keeps the row)."""
    arrangement = _editable_arrangement(request, pk)
    if request.method != "POST":
        context = {"arrangement": arrangement, "cancel_url": calendar_url(arrangement.day.year)}
        return render(request, "agencies/holiday_confirm_delete.html", context)
    services.delete_holiday_arrangement(arrangement=arrangement, actor=request.user)
    messages.success(request, _("Deleted. Deadlines that counted this day are being recomputed."))
    return redirect(calendar_url(arrangement.day.year))


def _check_edits_calendar(user):
    if not is_county_admin(user):
        raise PermissionDenied(_("Only the commerce bureau edits the working-day calendar."))


def _year_action(request, year, *, form, missing: str, act, done: str):
    """A commerce admin's POST about a whole year: the form, the service, a message, back."""
    _check_edits_calendar(request.user)
    try:
        if not form.is_valid():
            raise ValidationError(missing)
        act(**form.cleaned_data)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, done)
    return redirect(calendar_url(year))


@login_required
@require_POST
def calendar_year_complete(request, year):
    return _year_action(
        request,
        year,
        form=CalendarYearCompleteForm(request.POST),
        missing=_("Give the notice's document number."),
        act=lambda notice_number: services.mark_calendar_year_complete(
            year=year, notice_number=notice_number, actor=request.user
        ),
        done=_(
            "%(year)s is marked as entered in full: its deadlines are no longer provisional "
            "and are being recomputed."
        )
        % {"year": year},
    )


@login_required
@require_POST
def calendar_year_reopen(request, year):
    return _year_action(
        request,
        year,
        form=CalendarYearReopenForm(request.POST),
        missing=_("Give the reason."),
        act=lambda reason: services.reopen_calendar_year(
            year=year, reason=reason, actor=request.user
        ),
        done=_("%(year)s is no longer marked as entered in full.") % {"year": year},
    )
