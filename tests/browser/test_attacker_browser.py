"""An attacker in Chromium: 昌硕's township officer, signed in, types 递铺's ids into the address
bar — the registry's pages, the admin (change and history views), the browsable API and its
JSON — and never sees 递铺's operator or site; every answer is a Chinese refusal, never an error
page. Screenshots at 390 px for the record."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from tests.conftest import CHANGSHUO
from tests.factories import make_operator, make_site, make_user

from .conftest import ARTIFACTS, PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OPERATOR = "递铺机密再生资源回收有限公司"
SITE = "递铺机密回收点"
PHONE_NUMBER = "13900008888"


def test_another_townships_ids_typed_into_the_address_bar_show_nothing_of_it(
    browser_page, commerce_admin
):
    page = browser_page
    page.set_viewport_size(PHONE)
    operator = make_operator(
        actor=commerce_admin, seed=71, name=OPERATOR, contact_phone=PHONE_NUMBER
    )
    site = make_site(actor=commerce_admin, name=SITE, operator=operator)
    attacker = make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
    log_in(page, attacker)

    addresses = {
        "site": reverse("sites:site-detail", args=[site.pk]),
        "site-history": reverse("sites:site-history", args=[site.pk]),
        "operator": reverse("sites:operator-detail", args=[operator.pk]),
        "admin-site": f"/admin/sites/site/{site.pk}/change/",
        "admin-site-history": f"/admin/sites/site/{site.pk}/history/",
        "admin-operator-history": f"/admin/sites/operator/{operator.pk}/history/",
        "api-site": f"/api/v1/sites/{site.pk}/",
        "api-operator": f"/api/v1/operators/{operator.pk}/",
        "api-site-timeline": f"/api/v1/sites/{site.pk}/timeline/",
        "api-sites-json": "/api/v1/sites/?format=json&limit=1000",
        "api-operators-search": f"/api/v1/operators/?q={OPERATOR[:4]}&format=json",
    }
    for name, address in addresses.items():
        response = page.goto(address)
        page.screenshot(path=ARTIFACTS / f"attacker-{name}-390.png", full_page=True)
        text = page.content()
        assert response.status < 500, (address, response.status)
        for secret in (OPERATOR, SITE, PHONE_NUMBER):
            assert secret not in text, (address, secret)
        if not name.startswith("api-sites") and not name.startswith("api-operators"):
            # A refusal, not the row: 404 (or the admin's 403/redirect to its index).
            assert response.status in (302, 403, 404) or "/admin/" in page.url, address
    # The refusals themselves are logged by Chromium as failed loads; nothing else may fail
    # (the browsable API's pages included: templates/rest_framework/api.html).
    refused = ("status of 404", "status of 403")
    unexpected = [error for error in page.errors if not any(r in error for r in refused)]
    assert unexpected == []
