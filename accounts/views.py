"""The login page with the portal's owner, "forgot password", and the notification inbox:
list, open (marks read and follows the link), mark read."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification

NOTIFICATIONS_PER_PAGE = 30


def portal_identity() -> dict:
    """Who runs the portal and how to reach them (settings PORTAL_OWNER, PORTAL_CONTACT)."""
    return {"portal_owner": settings.PORTAL_OWNER, "portal_contact": settings.PORTAL_CONTACT}


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **portal_identity()}


def password_forgotten(request):
    """Passwords are reset by the commerce office (the admin's user page), not by email."""
    return render(request, "accounts/password_forgotten.html", portal_identity())


@login_required
def notification_inbox(request):
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(
        selectors.inbox(user=request.user, unread_only=unread_only), NOTIFICATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/inbox.html",
        {
            "notifications": page.object_list,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "querystring": "show=unread" if unread_only else "",
            "unread_only": unread_only,
        },
    )


@login_required
def notification_open(request, pk):
    """Open a notification: it is marked read and the user goes to what it is about."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.mark_notifications_read(user=request.user, notification_ids=[notification.pk])
    safe = url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notification.link if notification.link and safe else "accounts:inbox")


@login_required
@require_POST
def notification_mark_read(request):
    ids = [value for value in request.POST.getlist("notification") if value.isdigit()]
    everything = request.POST.get("all") == "1"
    changed = services.mark_notifications_read(
        user=request.user, notification_ids=None if everything else ids
    )
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            changed,
        )
        % {"count": changed},
    )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("accounts:inbox")
