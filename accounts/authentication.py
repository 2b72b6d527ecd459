"""API authentication by token (`Authorization: Token <key>`), extending DRF's
TokenAuthentication: the portal's tokens expire, can be revoked, are stored only as a hash,
and their use is recorded (accounts.services.record_token_use)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import services
from .models import ApiToken


class ExpiringTokenAuthentication(TokenAuthentication):
    model = ApiToken

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None:
            services.record_token_use(token=authenticated[1], request=request)
        return authenticated

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=services.hash_token_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("This API token is not valid."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                _("This API token was revoked; ask the commerce bureau for a new one.")
            )
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _("This API token expired on %(date)s; ask the commerce bureau for a new one.")
                % {"date": f"{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}"}
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This user is deactivated."))
        return token.user, token
