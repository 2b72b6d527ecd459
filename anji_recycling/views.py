"""The view mixins and helpers every app's pages share (the home page is the dashboards'),
and the favicon."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from .history import history_rows
from .scoping import save_within_scope


def favicon(request):
    """The portal's icon for browsers that ask for /favicon.ico."""
    response = HttpResponseRedirect(staticfiles_storage.url("favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def report_error(request, error) -> None:
    """A service's refusal as messages on the next page: each of a ValidationError's messages,
    or a PermissionDenied's text."""
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error) or _("You may not do that."))


def report_form_errors(request, form) -> None:
    """A form's errors as messages, for actions posted from a page that shows no form."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Rows come from the model's `visible_to(user)`; `select_related` names joins."""

    select_related = ()

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(*self.select_related)


class ScopedListView(ScopedQuerysetMixin, FilterView):
    paginate_by = 50
    strict = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class ScopedDetailView(ScopedQuerysetMixin, DetailView):
    pass


class HistoryView(ScopedDetailView):
    """Who changed what and when, for one row the user may see (django-simple-history)."""

    template_name = "history.html"

    def get_back_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = history_rows(self.object)
        context["back_url"] = self.get_back_url()
        return context


class ServiceFormMixin:
    """Saves through the app's service, inside the user's scope; the service's validation
    messages land on the form."""

    success_message = ""

    def save_with_service(self, *, obj, actor):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = save_within_scope(
                obj=form.instance,
                actor=self.request.user,
                save=lambda obj: self.save_with_service(obj=obj, actor=self.request.user),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message or _("Saved."))
        return HttpResponseRedirect(self.get_success_url())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instance = context["form"].instance
        if instance.pk:
            context.setdefault("heading", _("Edit %(name)s") % {"name": instance})
        else:
            kind = self.model._meta.verbose_name
            context.setdefault("heading", _("New %(kind)s") % {"kind": kind})
        context["cancel_url"] = self.get_cancel_url()
        return context

    def get_cancel_url(self):
        if self.success_url:
            return str(self.success_url)
        if self.object is not None:
            return self.object.get_absolute_url()
        return reverse("home")


class ServiceUpdateView(LoginRequiredMixin, ServiceFormMixin, UpdateView):
    """Edit one row the user may change (404 for rows they may not)."""

    template_name = "form.html"
    select_related = ()

    def get_object(self, queryset=None):
        user = self.request.user
        visible = self.model.objects.visible_to(user).select_related(*self.select_related)
        obj = super().get_object(visible)
        if not self.model.objects.editable_by(user).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("You may view this record but not change it."))
        return obj


class ServiceCreateView(LoginRequiredMixin, PermissionRequiredMixin, ServiceFormMixin, CreateView):
    template_name = "form.html"
    raise_exception = True


def stored_file_response(field_file, *, filename: str = "", content_type: str = ""):
    """Stream a stored file to a user the caller has already checked, through the storage API
    (the local disk or the S3 bucket alike): private files never get a public or presigned
    URL. With `filename` it is a download under that name. A file missing from the storage
    is not found (404), not an error."""
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    guessed, _encoding = mimetypes.guess_type(filename or field_file.name)
    response = FileResponse(
        handle,
        as_attachment=bool(filename),
        filename=filename or None,
        content_type=content_type or guessed or "application/octet-stream",
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
