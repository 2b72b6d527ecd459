"""The portal's refusal pages (400/403/404) in the layout of the part of the portal asked for.

The public pages (互联网+回收) have their own layout, without the user box and the language form:
those forms carry a CSRF token, and a public answer, a refusal included, never sets a cookie.
"""

from django.urls import reverse
from django.views import defaults


def _template(request, name: str) -> str:
    if request.path.startswith(reverse("public:site-list")):
        return f"public/{name}"
    return name


def bad_request(request, exception):
    return defaults.bad_request(request, exception, template_name=_template(request, "400.html"))


def permission_denied(request, exception):
    return defaults.permission_denied(
        request, exception, template_name=_template(request, "403.html")
    )


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name=_template(request, "404.html"))
