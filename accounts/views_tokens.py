"""API tokens in the portal: the commerce bureau issues a token for a user (its key is shown
once), sees every token with its expiry and last use, and revokes one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .choices import ApiTokenState
from .forms import IssueApiTokenForm
from .models import ApiToken

TOKENS_PER_PAGE = 50


@never_cache
@login_required
def api_token_list(request):
    """The list, and (POST) issuing a token: the page that answers shows its key, once."""
    services.ensure_manages_tokens(request.user)
    issued = key = None
    form = IssueApiTokenForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            issued, key = services.issue_api_token(
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = IssueApiTokenForm(actor=request.user)
    now = timezone.now()
    page = Paginator(selectors.api_tokens(user=request.user), TOKENS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [{"token": token, "state": ApiTokenState(token.state(now=now))} for token in page]
    context = {
        "lifetime": settings.API_TOKEN_LIFETIME_DAYS,
        "form": form,
        "issued": issued,
        "key": key,
        "rows": rows,
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request, pk):
    services.ensure_manages_tokens(request.user)
    token = get_object_or_404(ApiToken.objects.editable_by(request.user), pk=pk)
    services.revoke_api_token(token=token, actor=request.user, request=request)
    messages.success(
        request,
        _("Token %(prefix)s… (%(name)s) is revoked: it no longer works.")
        % {"prefix": token.key_prefix, "name": token.name},
    )
    return redirect("accounts:api-token-list")
