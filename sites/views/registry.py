"""Registry pages: site and operator lists, detail pages, forms, status changes and photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import township_scope
from anji_recycling.views import (
    HistoryView,
    ScopedDetailView,
    ScopedListView,
    ServiceCreateView,
    ServiceUpdateView,
    stored_file_response,
)

from .. import selectors, services
from ..filters import OperatorFilterSet, SiteFilterSet
from ..forms import OperatorForm, SiteForm, SitePhotoForm, SiteStatusForm
from ..models import Operator, Site, SitePhoto


def _scope_label(user):
    township_id = township_scope(user)
    return None if township_id is None else user.township


class SiteListView(ScopedListView):
    model = Site
    filterset_class = SiteFilterSet
    template_name = "sites/site_list.html"

    def get_queryset(self):
        return selectors.sites_for_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scope_township"] = _scope_label(self.request.user)
        context["can_add"] = self.request.user.has_perm("sites.add_site")
        return context


class SiteDetailView(ScopedDetailView):
    model = Site
    template_name = "sites/site_detail.html"

    def get_queryset(self):
        return selectors.sites_for_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = self.object
        can_edit = Site.objects.editable_by(self.request.user).filter(pk=site.pk).exists()
        context.update(
            can_edit=can_edit,
            timeline=selectors.site_timeline(site=site),
            photos=site.photos.all(),
            children=site.children.visible_to(self.request.user).order_by("code"),
            status_form=SiteStatusForm(choices=services.allowed_status_changes(site)),
            photo_form=SitePhotoForm(),
        )
        return context


class SiteFormMixin:
    model = Site
    form_class = SiteForm
    template_name = "sites/site_form.html"

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return (
            self.object.get_absolute_url() if self.object else str(reverse_lazy("sites:site-list"))
        )


class SiteCreateView(SiteFormMixin, ServiceCreateView):
    permission_required = "sites.add_site"

    def save_with_service(self, *, obj, actor):
        return services.register_site(site=obj, actor=actor, materials=self._materials)

    def form_valid(self, form):
        self._materials = form.cleaned_data["materials"]
        return super().form_valid(form)


class SiteUpdateView(SiteFormMixin, ServiceUpdateView):
    select_related = ("township",)

    def save_with_service(self, *, obj, actor):
        return services.update_site(site=obj, actor=actor, materials=self._materials)

    def form_valid(self, form):
        self._materials = form.cleaned_data["materials"]
        return super().form_valid(form)


def _editable_site(request, pk):
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=pk)
    if not Site.objects.editable_by(request.user).filter(pk=site.pk).exists():
        raise PermissionDenied(_("You may view this site but not change it."))
    return site


@login_required
@require_POST
def site_change_status(request, pk):
    site = _editable_site(request, pk)
    form = SiteStatusForm(request.POST, choices=services.allowed_status_changes(site))
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error.as_text())
        return redirect(site)
    try:
        services.change_site_status(
            site=site,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Status changed."))
    return redirect(site)


@login_required
@require_POST
def site_add_photo(request, pk):
    site = _editable_site(request, pk)
    form = SitePhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error.as_text())
        return redirect(site)
    services.add_site_photo(
        site=site,
        image=form.cleaned_data["image"],
        caption=form.cleaned_data["caption"],
        actor=request.user,
    )
    messages.success(request, _("Photo added."))
    return redirect(site)


class OperatorListView(ScopedListView):
    model = Operator
    filterset_class = OperatorFilterSet
    template_name = "sites/operator_list.html"

    def get_queryset(self):
        return selectors.operators_for_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scope_township"] = _scope_label(self.request.user)
        context["can_add"] = self.request.user.has_perm("sites.add_operator")
        return context


class OperatorDetailView(ScopedDetailView):
    model = Operator
    select_related = ("township",)
    template_name = "sites/operator_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sites"] = selectors.sites_for_list(user=self.request.user).filter(
            operator=self.object
        )
        context["can_edit"] = (
            Operator.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists()
        )
        return context


class OperatorCreateView(ServiceCreateView):
    model = Operator
    form_class = OperatorForm
    permission_required = "sites.add_operator"

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return str(reverse_lazy("sites:operator-list"))

    def save_with_service(self, *, obj, actor):
        return services.save_operator(operator=obj, actor=actor)


class OperatorUpdateView(ServiceUpdateView):
    model = Operator
    form_class = OperatorForm

    def save_with_service(self, *, obj, actor):
        return services.save_operator(operator=obj, actor=actor)


class SiteHistoryView(HistoryView):
    model = Site


class OperatorHistoryView(HistoryView):
    model = Operator


@login_required
def site_photo_file(request, pk):
    """A site photo, for users who may see the site."""
    sites = Site.objects.visible_to(request.user)
    photo = get_object_or_404(SitePhoto.objects.filter(site__in=sites), pk=pk)
    return stored_file_response(photo.image)
