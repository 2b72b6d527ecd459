from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anji_recycling.forms import Form

from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is wrong. After %(limit)s failed attempts the account is "
            "locked for a while."
        ),
    }

    def get_invalid_login_error(self):
        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class IssueApiTokenForm(Form):
    user = forms.ModelChoiceField(
        label=_("User"),
        queryset=User.objects.none(),
        help_text=_("The token acts as this user: the same role, permissions and data scope."),
    )
    name = forms.CharField(
        label=_("Purpose"),
        max_length=100,
        help_text=_("Which system or person uses it, e.g. 县数据共享平台 nightly sync."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(is_active=True).order_by("username")
        if not actor.is_superuser:
            users = users.exclude(is_superuser=True)
        self.fields["user"].queryset = users
