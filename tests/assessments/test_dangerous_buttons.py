"""锁定 and 发布 cannot be taken back without a reason (issue #17): on the period page they look
different from the main action (class danger) and ask for confirmation first (data-confirm,
static/js/portal.js), in Chinese."""

import re

import pytest
from django.urls import reverse

from assessments.services import compute_period, lock_period

pytestmark = pytest.mark.django_db


def buttons(client, period, action):
    page = client.get(
        reverse("assessments:period-detail", args=[period.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    form = re.search(
        rf'<form method="post" action="{reverse(f"assessments:period-{action}", args=[period.pk])}"'
        r".*?</form>",
        page,
        re.S,
    )
    return form.group(0) if form else ""


def test_locking_and_publishing_look_dangerous_and_ask_first(client, commerce_admin, q1, after_q1):
    client.force_login(commerce_admin)
    compute_period(period=q1, actor=commerce_admin)
    lock = buttons(client, q1, "lock")
    assert 'class="danger"' in lock
    assert re.search(r'data-confirm="[^"]*锁定[^"]*"', lock), lock

    lock_period(period=q1, actor=commerce_admin)
    publish = buttons(client, q1, "publish")
    assert 'class="danger"' in publish
    assert re.search(r'data-confirm="[^"]*发布[^"]*"', publish), publish
