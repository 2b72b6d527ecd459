import datetime as dt

import pytest
from django.urls import reverse

from agencies import services
from agencies.models import DutyRule, LeadingGroupMembership, LeadingGroupPost

pytestmark = pytest.mark.django_db


def test_duty_rule_change_records_who_when_and_what(client, commerce_admin):
    rule = DutyRule.objects.get(category__code="fire_hazard")
    client.force_login(commerce_admin)

    response = client.post(
        reverse("agencies:dutyrule-update", args=[rule.pk]),
        {
            "category": rule.category_id,
            "area": rule.area,
            "lead_kind": "agency",
            "lead_agency": rule.lead_agency_id,
            "register_days": 1,
            "dispatch_days": 1,
            "handle_days": 7,
            "verify_days": 3,
            "is_active": "on",
            "change_reason": "联席会议决定",
        },
    )

    assert response.status_code == 302
    latest = rule.history.latest()
    assert latest.history_user == commerce_admin
    assert latest.handle_days == 7
    assert latest.history_change_reason == "联席会议决定"
    page = client.get(reverse("agencies:dutyrule-history", args=[rule.pk])).content.decode()
    assert "handle_days" in page or "处置" in page
    assert "联席会议决定" in page


def test_membership_history_keeps_the_end_of_a_term(commerce_admin):
    post = LeadingGroupPost.objects.get(role="leader")
    membership = services.save_membership(
        membership=LeadingGroupMembership(
            post=post, person_name="甲", start_date=dt.date(2026, 1, 1)
        ),
        actor=commerce_admin,
    )
    services.end_membership(
        membership=membership, end_date=dt.date(2026, 6, 30), actor=commerce_admin
    )

    records = list(membership.history.order_by("history_date"))
    assert [r.end_date for r in records] == [None, dt.date(2026, 6, 30)]
    assert all(r.history_user == commerce_admin for r in records)
