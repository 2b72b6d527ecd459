"""The meeting and action-item policies agree with their services: for every state, person
and action, the action is in `allowed_actions` exactly when the service takes it; the meeting
page offers exactly those actions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.choices import Role
from agencies import meetings
from agencies.choices import ActionItemAction, MeetingAction
from agencies.models import ActionItem, Agency, Meeting
from agencies.policy import ACTION_ITEM_POLICY, MEETING_POLICY
from tests.factories import make_user
from tests.policy_walk import api_disagreements, disagreements

from .test_meetings import at, held_meeting, plan

pytestmark = pytest.mark.django_db

STARTS = at(2026, 3, 2, 9)  # long past: a meeting that may be recorded


@pytest.fixture
def people(commerce_admin, dipu_officer, market_officer, leader):
    return {
        "commerce": commerce_admin,
        "responsible agency": market_officer,
        "other agency": make_user(Role.AGENCY_OFFICER, agency_code="fire"),
        "township": dipu_officer,
        "leader": leader,
    }


def meeting_in(state, admin, market):
    if state == "planned":
        return plan(admin, starts_at=STARTS, agencies=[market])
    meeting = held_meeting(admin, starts_at=STARTS, agencies=[market])
    if state == "cancelled":  # a planned meeting called off
        meeting = plan(admin, starts_at=STARTS, agencies=[market], title="临时会议")
        meetings.cancel_meeting(meeting=meeting, actor=admin, reason="改期")
    return meeting


def meeting_call(action, meeting, person, market):
    return {
        MeetingAction.EDIT: lambda: meetings.update_meeting(meeting=meeting, actor=person),
        MeetingAction.RECORD: lambda: meetings.record_meeting(
            meeting=meeting,
            actor=person,
            present_agencies=[market],
            minutes="纪要",
            decisions="决定",
            now=STARTS + dt.timedelta(hours=2),
        ),
        MeetingAction.ASSIGN_ITEM: lambda: meetings.add_action_item(
            meeting=meeting,
            agency=market,
            description="清理无照经营网点",
            due_on=dt.date(2026, 4, 30),
            actor=person,
        ),
        MeetingAction.CANCEL: lambda: meetings.cancel_meeting(
            meeting=meeting, actor=person, reason="改期"
        ),
    }[action]


@pytest.mark.parametrize("state", ["planned", "held", "cancelled"])
def test_meeting_actions_are_what_the_services_accept(people, state):
    market = Agency.objects.get(code="market")
    meeting = meeting_in(state, people["commerce"], market)
    found = disagreements(
        MEETING_POLICY,
        load=lambda: Meeting.objects.get(pk=meeting.pk),
        people=people,
        call=lambda action, fresh, person: meeting_call(action, fresh, person, market),
    )
    assert found == []


def item_in(state, admin) -> ActionItem:
    market = Agency.objects.get(code="market")
    meeting = held_meeting(admin, starts_at=STARTS, agencies=[market])
    item = meetings.add_action_item(
        meeting=meeting, agency=market, description="清理", due_on=dt.date(2026, 4, 30), actor=admin
    )
    if state == "done":
        meetings.complete_action_item(item=item, actor=admin)
    return item


def item_call(action, item, person):
    if action == ActionItemAction.REPORT_PROGRESS:
        return lambda: meetings.report_progress(item=item, author=person, text="已清理三处")
    return lambda: meetings.complete_action_item(item=item, actor=person)


@pytest.mark.parametrize("state", ["open", "done"])
def test_action_item_actions_are_what_the_services_accept(people, state):
    item = item_in(state, people["commerce"])

    found = disagreements(
        ACTION_ITEM_POLICY,
        load=lambda: ActionItem.objects.get(pk=item.pk),
        people=people,
        call=item_call,
    )
    assert found == []


def test_the_meeting_page_offers_exactly_the_allowed_actions(client, people):
    market = Agency.objects.get(code="market")
    admin = people["commerce"]
    meeting = held_meeting(admin, starts_at=STARTS, agencies=[market])
    item = meetings.add_action_item(
        meeting=meeting, agency=market, description="清理", due_on=dt.date(2026, 4, 30), actor=admin
    )
    links = {
        MeetingAction.EDIT: reverse("agencies:meeting-update", args=[meeting.pk]),
        MeetingAction.RECORD: reverse("agencies:meeting-record", args=[meeting.pk]),
        MeetingAction.ASSIGN_ITEM: reverse("agencies:action-item-create", args=[meeting.pk]),
        MeetingAction.CANCEL: reverse("agencies:meeting-cancel", args=[meeting.pk]),
    }
    item_forms = {
        ActionItemAction.REPORT_PROGRESS: reverse("agencies:action-item-progress", args=[item.pk]),
        ActionItemAction.COMPLETE: reverse("agencies:action-item-complete", args=[item.pk]),
    }
    for who, person in people.items():
        client.force_login(person)
        page = client.get(meeting.get_absolute_url()).content.decode()
        for action, url in links.items():
            allowed = action in MEETING_POLICY.allowed_actions(meeting, person)
            assert (f'href="{url}"' in page) == allowed, (who, action)
        for action, url in item_forms.items():
            allowed = action in ACTION_ITEM_POLICY.allowed_actions(item, person)
            assert (f'action="{url}"' in page) == allowed, (who, action)


def meeting_request(action, meeting, market):
    url = f"/api/v1/meetings/{meeting.pk}/"
    return {
        MeetingAction.EDIT: ("patch", url, {"place": "县商务局三楼会议室"}),
        MeetingAction.RECORD: (
            "post",
            url + "record/",
            {"present_agencies": [market.pk], "minutes": "纪要", "decisions": "决定"},
        ),
        MeetingAction.ASSIGN_ITEM: (
            "post",
            url + "action-items/",
            {"agency": market.pk, "description": "清理无照经营网点", "due_on": "2026-04-30"},
        ),
        MeetingAction.CANCEL: ("post", url + "cancel/", {"reason": "改期"}),
    }[action]


@pytest.mark.parametrize("state", ["planned", "held", "cancelled"])
def test_the_api_takes_a_meeting_action_exactly_when_the_service_does(api_client, people, state):
    market = Agency.objects.get(code="market")
    meeting = meeting_in(state, people["commerce"], market)
    with translation.override("zh-hans"):
        found = api_disagreements(
            MEETING_POLICY,
            load=lambda: Meeting.objects.get(pk=meeting.pk),
            people=people,
            call=lambda action, fresh, person: meeting_call(action, fresh, person, market),
            request=lambda action, fresh: meeting_request(action, fresh, market),
            client=api_client,
        )
    assert found == []


@pytest.mark.parametrize("state", ["open", "done"])
def test_the_api_takes_an_action_item_action_exactly_when_the_service_does(
    api_client, people, state
):
    item = item_in(state, people["commerce"])

    def request(action, fresh):
        url = f"/api/v1/action-items/{fresh.pk}/"
        if action == ActionItemAction.REPORT_PROGRESS:
            return ("post", url + "progress/", {"text": "已清理三处"})
        return ("post", url + "complete/", {})

    with translation.override("zh-hans"):
        found = api_disagreements(
            ACTION_ITEM_POLICY,
            load=lambda: ActionItem.objects.get(pk=item.pk),
            people=people,
            call=item_call,
            request=request,
            client=api_client,
        )
    assert found == []


def test_a_meeting_goes_from_planning_to_done_items_through_the_api(api_client, people):
    """Plan, record, assign an item, the agency reports progress, the bureau confirms it."""
    market = Agency.objects.get(code="market")
    api_client.force_authenticate(people["commerce"])
    planned = api_client.post(
        "/api/v1/meetings/",
        {
            "title": "2026年第一季度联席会议",
            "starts_at": "2026-03-02T09:00:00+08:00",
            "place": "县商务局三楼会议室",
            "convener": "县商务局",
            "invited_agencies": [market.pk],
        },
        format="json",
    )
    assert planned.status_code == 201, planned.content
    assert planned.json()["allowed_actions"] == ["edit", "record", "cancel"]
    url = f"/api/v1/meetings/{planned.json()['id']}/"
    recorded = api_client.post(
        url + "record/", {"present_agencies": [market.pk], "minutes": "纪要"}, format="json"
    )
    assert recorded.json()["status"] == "held"
    assert recorded.json()["attendance"][0]["present"] is True
    item = api_client.post(
        url + "action-items/",
        {"agency": market.pk, "description": "清理无照经营网点", "due_on": "2026-04-30"},
        format="json",
    ).json()
    api_client.force_authenticate(people["responsible agency"])
    listed = api_client.get("/api/v1/action-items/", {"agency": market.pk}).json()
    assert listed["results"][0]["allowed_actions"] == ["report_progress"]
    progress = api_client.post(
        f"/api/v1/action-items/{item['id']}/progress/", {"text": "已清理三处"}, format="json"
    )
    assert progress.status_code == 201
    refused = api_client.post(f"/api/v1/action-items/{item['id']}/complete/", {}, format="json")
    assert refused.status_code == 403
    api_client.force_authenticate(people["commerce"])
    done = api_client.post(f"/api/v1/action-items/{item['id']}/complete/", {}, format="json")
    assert done.json()["status"] == "done"
    assert [u["text"] for u in done.json()["updates"]] == ["已清理三处"]
    assert ActionItem.objects.get(pk=item["id"]).status == "done"
