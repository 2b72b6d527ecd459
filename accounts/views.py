"""The login page with the portal's owner, "forgot password", and the notification inbox:
list, open (marks read and follows the link), mark read, and which kinds reach the user."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import selectors, services
from .choices import NotificationKind
from .models import Notification
from .policy import NOTIFICATION_SETTING_POLICY

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
    kind = request.GET.get("kind", "")
    kind = kind if kind in NotificationKind.values else ""
    page = Paginator(
        selectors.inbox(user=request.user, unread_only=unread_only, kind=kind),
        NOTIFICATIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    query = {"show": "unread" if unread_only else "", "kind": kind}
    return render(
        request,
        "accounts/inbox.html",
        {
            "notifications": page.object_list,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "querystring": urlencode({k: v for k, v in query.items() if v}),
            "unread_only": unread_only,
            "kind": kind,
            "kinds": NotificationKind.choices,
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
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("accounts:inbox")
    if not everything and not ids:
        messages.warning(request, _("Tick the notifications to mark as read first."))
        return redirect(next_url)
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
    return redirect(next_url)


@login_required
def notification_settings(request):
    """Which kinds of notification reach the user: each can be turned off and on again (the
    督办 kinds cannot be turned off), by the user only."""
    if request.method == "POST":
        try:
            services.set_notification_kind(
                user=request.user,
                kind=request.POST.get("kind", ""),
                action=request.POST.get("action", ""),
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your notification settings are saved."))
        return redirect("accounts:notification-settings")
    choices = selectors.notification_choices(user=request.user)
    return render(
        request,
        "accounts/notification_settings.html",
        {
            "choices": [
                (choice, NOTIFICATION_SETTING_POLICY.allowed_actions(choice, request.user))
                for choice in choices
            ]
        },
    )
