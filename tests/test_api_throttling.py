"""The API's rate limits (DRF throttles): per signed-in user and per anonymous client address,
answered with a Chinese 429 that says how long to wait, counted in a cache every replica
shares."""

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.urls import reverse

from tests.proxy import IP1, IP2, PROXY

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(*, user="1000/hour", anon="1000/hour"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"user": user, "anon": anon},
        }

    return set_rates


def test_a_user_over_the_rate_is_told_in_chinese_how_long_to_wait(
    rates, api_client, leader, commerce_admin
):
    rates(user="3/minute")
    api_client.force_authenticate(leader)
    url = reverse("api:township-list")
    assert [api_client.get(url).status_code for _ in range(3)] == [200, 200, 200]

    response = api_client.get(url)

    assert response.status_code == 429
    assert response.json() == {"detail": "请求过于频繁，请 60 秒后再试。"}
    assert response["Retry-After"] == "60"
    # Counted per user: another user is not slowed down by the first one.
    api_client.force_authenticate(commerce_admin)
    assert api_client.get(url).status_code == 200


def test_anonymous_clients_are_counted_per_client_address_behind_the_proxy(
    rates, behind_one_proxy, client
):
    rates(anon="2/minute")
    url = reverse("api-docs")

    def get(ip):
        return client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ip).status_code

    assert [get(IP1), get(IP1), get(IP1)] == [200, 200, 429]
    assert get(IP2) == 200


def test_throttle_counts_live_in_the_shared_database_cache(rates, settings, api_client, leader):
    """Production's cache is the table `portal_cache`: a count written by one web process is
    read by every other (here: a second cache client on the same table)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }
    call_command("createcachetable")  # as the migration does under production settings
    rates(user="2/minute")
    api_client.force_authenticate(leader)
    url = reverse("api:township-list")
    api_client.get(url)
    api_client.get(url)

    other_replica = DatabaseCache("portal_cache", {})
    assert len(other_replica.get(f"throttle_user_{leader.pk}")) == 2
    assert api_client.get(url).status_code == 429
