"""API tokens: the commerce bureau issues them in the portal (the key shown once), lists and
revokes them; they expire, and their use is recorded without a write per request."""

import datetime as dt
import hashlib
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from accounts.models import ApiToken, SecurityEvent
from accounts.services import issue_api_token
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:api-token-list")
API = "/api/v1/townships/"
NOON = dt.datetime(2026, 12, 2, 4, 0, tzinfo=dt.UTC)  # 12:00 in Anji


def _issue_in_the_portal(client, admin, user, name="县数据共享平台"):
    client.force_login(admin)
    response = client.post(LIST, {"user": user.pk, "name": name})
    assert response.status_code == 200
    match = re.search(r"data-token-key>([0-9a-f]{40})<", response.content.decode())
    assert match, "the page shows the new key"
    return response, match.group(1)


def _call_api(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.get(API)


def test_a_commerce_admin_issues_a_token_whose_key_is_shown_once(
    client, api_client, commerce_admin, dipu_officer
):
    assert not commerce_admin.is_superuser
    response, key = _issue_in_the_portal(client, commerce_admin, dipu_officer)

    assert response["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get()
    assert (token.user, token.created_by, token.key_prefix) == (
        dipu_officer,
        commerce_admin,
        key[:8],
    )
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()  # the key is not stored
    assert key not in client.get(LIST).content.decode()
    issued = SecurityEvent.objects.get(kind="token_issued")
    assert issued.user == commerce_admin
    assert f"user={dipu_officer.username}" in issued.detail

    answer = _call_api(api_client, key)

    assert answer.status_code == 200
    assert SecurityEvent.objects.get(kind="token_used").user == dipu_officer


def test_the_token_acts_with_its_users_scope(api_client, commerce_admin, dipu_officer):
    _token, key = issue_api_token(user=dipu_officer, name="巡查 App", actor=commerce_admin)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    # The township officer's own notifications, and the officer's refusals: the same answers
    # as in the browser.
    assert api_client.get("/api/v1/notifications/").status_code == 200
    assert api_client.post("/api/v1/townships/", {"code": "x"}).status_code == 403


@pytest.mark.parametrize(
    "role", [role for role in Role if role != Role.COMMERCE_ADMIN], ids=lambda role: role.value
)
def test_nobody_else_opens_the_token_page(client, users_by_role, commerce_admin, role):
    user = users_by_role[role]
    token, _key = issue_api_token(user=user, name="x", actor=commerce_admin)
    client.force_login(user)

    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"user": user.pk, "name": "mine"}).status_code == 403
    revoke = reverse("accounts:api-token-revoke", args=[token.pk])
    assert client.post(revoke).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.count() == 1
    assert LIST not in client.get(reverse("home")).content.decode()


def test_the_navigation_shows_the_page_to_commerce_admins(client, commerce_admin):
    client.force_login(commerce_admin)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="{LIST}"' in page
    assert "API 令牌" in page


def test_a_revoked_token_is_refused_in_chinese(client, api_client, commerce_admin, dipu_officer):
    _response, key = _issue_in_the_portal(client, commerce_admin, dipu_officer)
    token = ApiToken.objects.get()

    response = client.post(reverse("accounts:api-token-revoke", args=[token.pk]), follow=True)

    assert "已撤销" in response.content.decode()
    answer = _call_api(api_client, key)
    assert answer.status_code == 401
    assert answer.json()["detail"] == "此 API 令牌已撤销，请向县商务局申请新的令牌。"
    revoked = SecurityEvent.objects.get(kind="token_revoked")
    assert revoked.user == commerce_admin
    assert token.key_prefix in revoked.detail
    token.refresh_from_db()
    assert token.revoked_by == commerce_admin


def test_a_token_expires_after_the_configured_lifetime(
    settings, api_client, commerce_admin, dipu_officer
):
    assert settings.API_TOKEN_LIFETIME_DAYS == 90
    settings.API_TOKEN_LIFETIME_DAYS = 30
    with time_machine.travel(NOON, tick=False) as traveller:
        _token, key = issue_api_token(user=dipu_officer, name="x", actor=commerce_admin)
        traveller.shift(dt.timedelta(days=30) - dt.timedelta(seconds=1))
        assert _call_api(api_client, key).status_code == 200
        traveller.shift(dt.timedelta(seconds=1))

        answer = _call_api(api_client, key)

    assert answer.status_code == 401
    assert answer.json()["detail"] == (
        "此 API 令牌已于 2027-01-01 12:00 过期，请向县商务局申请新的令牌。"
    )


def test_a_deactivated_users_token_is_refused(api_client, commerce_admin, dipu_officer):
    _token, key = issue_api_token(user=dipu_officer, name="x", actor=commerce_admin)
    dipu_officer.is_active = False
    dipu_officer.save(update_fields=["is_active"])

    answer = _call_api(api_client, key)

    assert answer.status_code == 401
    assert answer.json()["detail"] == "该用户已停用。"


def test_a_commerce_admin_cannot_issue_a_token_for_a_superuser(client, commerce_admin):
    root = make_user("", is_superuser=True)
    client.force_login(commerce_admin)

    response = client.post(LIST, {"user": root.pk, "name": "x"})

    assert response.status_code == 200
    assert "data-token-key" not in response.content.decode()
    assert not ApiToken.objects.exists()
    with pytest.raises(ValidationError):
        issue_api_token(user=root, name="x", actor=commerce_admin)


def test_an_unknown_token_is_refused_in_chinese(api_client):
    answer = _call_api(api_client, "0" * 40)
    assert answer.status_code == 401
    assert answer.json()["detail"] == "API 令牌无效。"


def _token_writes(queries):
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "accounts_apitoken"')]


def test_use_is_written_at_most_once_a_minute_and_logged_once_a_day(
    api_client, commerce_admin, dipu_officer
):
    with time_machine.travel(NOON, tick=False) as traveller:
        token, key = issue_api_token(user=dipu_officer, name="x", actor=commerce_admin)
        assert _call_api(api_client, key).status_code == 200
        token.refresh_from_db()
        assert token.last_used_at == NOON

        traveller.shift(dt.timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            assert _call_api(api_client, key).status_code == 200
        assert _token_writes(queries.captured_queries) == []

        traveller.shift(dt.timedelta(minutes=1))
        _call_api(api_client, key)
        token.refresh_from_db()
        assert token.last_used_at == NOON + dt.timedelta(seconds=90)
        assert SecurityEvent.objects.filter(kind="token_used").count() == 1

        traveller.shift(dt.timedelta(days=1))
        _call_api(api_client, key)

    used = SecurityEvent.objects.filter(kind="token_used")
    assert used.count() == 2
    assert {event.user for event in used} == {dipu_officer}


def test_the_token_list_runs_a_fixed_number_of_queries(
    client, commerce_admin, django_assert_max_num_queries
):
    client.force_login(commerce_admin)

    def issue(count):
        for n in range(count):
            user = make_user(Role.LEADER)
            token, _key = issue_api_token(user=user, name=f"系统 {n}", actor=commerce_admin)

    issue(2)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    issue(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(LIST).content.decode()
    assert page.count("系统 ") == 12


def test_tokens_made_before_in_the_admin_keep_working_until_their_expiry(api_client, dipu_officer):
    """DRF's authtoken table (keys in clear) is carried over by a migration and emptied."""
    migration = __import__(
        "accounts.migrations.0012_api_tokens_from_drf_authtoken", fromlist=["carry_over"]
    )
    key = "a1" * 20
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40), user_id bigint)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s)", [key, dipu_officer.pk])

    migration.carry_over_drf_tokens(apps, SimpleNamespace(connection=connection))

    assert _call_api(api_client, key).status_code == 200
    token = ApiToken.objects.get(user=dipu_officer)
    assert token.key_hash != key
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
