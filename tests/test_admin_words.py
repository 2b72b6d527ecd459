"""The admin speaks the portal's Chinese: 修改 for "Change" (变化 is the assessment's change
against the previous period), and it has an icon."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

pytestmark = pytest.mark.django_db


def test_change_is_xiugai_in_the_admin_and_bianhua_against_the_previous_period():
    with translation.override("zh-hans"):
        assert gettext("Change") == "修改"
        assert pgettext("compared with the previous period", "Change") == "变化"


def test_the_admin_change_page_offers_xiugai(client, commerce_admin):
    client.force_login(commerce_admin)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "修改" in page
    assert "变化" not in page


def test_the_favicon_is_found(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].endswith("favicon.svg")
