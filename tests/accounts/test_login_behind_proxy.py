"""Login protection behind the documented reverse proxy (tests/proxy.py) with production's
`AXES_PROXY_COUNT=1`: the lockout is keyed on the client's address and the username."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import SecurityEvent
from accounts.services import client_ip
from anji_recycling.settings.base import client_ip_settings
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


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded", "expected"),
    [
        (0, IP2, "", IP2),
        (0, IP2, IP1, IP2),  # no proxy trusted: the header is the client's own words
        (1, PROXY, IP1, IP1),
        (1, PROXY, f"10.9.9.9, 10.8.8.8, {IP1}", IP1),  # what the client wrote is ignored
        (1, PROXY, f"not-an-address, {IP1}", IP1),
        (1, PROXY, "10.20.30.40", "10.20.30.40"),  # an intranet client keeps its address
        (2, PROXY, f"10.9.9.9, {IP1}, 172.18.0.9", IP1),  # two proxies that each append
    ],
)
def test_the_client_address_is_counted_from_the_proxy_end(
    settings, rf, proxies, remote_addr, forwarded, expected
):
    for name, value in client_ip_settings(proxies).items():
        setattr(settings, name, value)
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = rf.post("/accounts/login/", REMOTE_ADDR=remote_addr, **headers)

    assert client_ip(request) == expected
