from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views, views_tokens
from .forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("password/forgotten/", views.password_forgotten, name="password-forgotten"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="form.html", success_url=reverse_lazy("accounts:password-done")
        ),
        name="password-change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password-done",
    ),
    path("notifications/", views.notification_inbox, name="inbox"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path("notifications/read/", views.notification_mark_read, name="notifications-read"),
    path("notifications/settings/", views.notification_settings, name="notification-settings"),
    path("api-tokens/", views_tokens.api_token_list, name="api-token-list"),
    path("api-tokens/<int:pk>/revoke/", views_tokens.api_token_revoke, name="api-token-revoke"),
]
