"""A refusal on the public pages is a public page: the public layout (no user box, no language
form), a way back to the list of recycling points, and no cookie. The staff pages' refusals keep
the portal's layout."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path

from anji_recycling.urls import urlpatterns as portal_urlpatterns

pytestmark = pytest.mark.django_db


def _refuse_bad(request):
    raise SuspiciousOperation("test")


def _refuse_denied(request):
    raise PermissionDenied


urlpatterns = [
    path("public/test-bad/", _refuse_bad),
    path("public/test-denied/", _refuse_denied),
    path("sites/test-denied/", _refuse_denied),
    *portal_urlpatterns,
]
handler400 = "anji_recycling.errors.bad_request"
handler403 = "anji_recycling.errors.permission_denied"
handler404 = "anji_recycling.errors.page_not_found"


@pytest.mark.parametrize(
    ("url", "status"),
    [("/public/sites/999999/", 404), ("/public/test-bad/", 400), ("/public/test-denied/", 403)],
)
@override_settings(ROOT_URLCONF=__name__)
def test_a_public_refusal_is_a_public_page_without_a_cookie(url, status):
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.status_code == status
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in body
    assert 'class="public"' in body
    assert "返回回收点列表" in body


@override_settings(ROOT_URLCONF=__name__)
def test_a_staff_refusal_keeps_the_portal_layout(client, django_user_model):
    user = django_user_model.objects.create_user("refused", password="x")
    client.force_login(user)
    response = client.get("/sites/test-denied/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.status_code == 403
    assert 'class="public"' not in body
    assert "返回首页" in body
