"""Login protection behind the documented reverse proxy (tests/proxy.py) with production's
`AXES_PROXY_COUNT=1`: the lockout is keyed on the client's address and the username."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import SecurityEvent
from tests.factories import PASSWORD
from tests.proxy import IP1, IP2, PROXY, forwarded_for

pytestmark = pytest.mark.django_db


def _login(client, username, password, *, ip, sent_by_client=""):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for(ip, sent_by_client),
    )


def _lock_out(client, username, *, ip):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, "wrong-password", ip=ip)


def test_lockout_from_one_address_leaves_the_same_user_free_from_another(
    behind_one_proxy, client, dipu_officer
):
    _lock_out(client, dipu_officer.username, ip=IP1)

    assert _login(client, dipu_officer.username, PASSWORD, ip=IP1).status_code == 429
    assert _login(client, dipu_officer.username, PASSWORD, ip=IP2).status_code == 302


def test_lockout_of_one_user_leaves_other_users_from_that_address_free(
    behind_one_proxy, client, dipu_officer, market_officer
):
    _lock_out(client, dipu_officer.username, ip=IP1)

    assert _login(client, market_officer.username, PASSWORD, ip=IP1).status_code == 302


def test_an_address_the_client_puts_in_the_header_is_not_believed(
    behind_one_proxy, client, dipu_officer
):
    """A client that sends its own X-Forwarded-For (a new address for every try) is still
    counted under the address nginx saw."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, dipu_officer.username, "wrong", ip=IP1, sent_by_client=f"10.9.9.{n}")

    assert _login(client, dipu_officer.username, PASSWORD, ip=IP1).status_code == 429
    assert set(
        SecurityEvent.objects.filter(kind="login_failed").values_list("ip_address", flat=True)
    ) == {IP1}


def test_the_security_log_records_the_client_address(behind_one_proxy, client, dipu_officer):
    _lock_out(client, dipu_officer.username, ip=IP1)
    _login(client, dipu_officer.username, PASSWORD, ip=IP2)

    rows = SecurityEvent.objects.filter(username=dipu_officer.username)
    assert rows.get(kind="login").ip_address == IP2
    assert set(rows.filter(kind="login_failed").values_list("ip_address", flat=True)) == {IP1}
    assert set(rows.filter(kind="locked_out").values_list("ip_address", flat=True)) == {IP1}
    assert not rows.filter(ip_address=PROXY).exists()


def test_without_a_proxy_the_header_is_ignored(client, dipu_officer):
    """Local and test settings trust no proxy: a forged header changes nothing."""
    assert settings.TRUSTED_PROXY_COUNT == 0
    client.post(
        reverse("accounts:login"),
        {"username": dipu_officer.username, "password": "wrong"},
        REMOTE_ADDR=IP2,
        HTTP_X_FORWARDED_FOR=IP1,
    )

    assert SecurityEvent.objects.get(kind="login_failed").ip_address == IP2
