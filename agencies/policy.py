"""Who may do what to a joint meeting (联席会议) and its action items (督办事项), as data.

The commerce bureau (the leading group's office) plans, records and cancels meetings, assigns
action items and confirms them done; the responsible agency reports progress on its items.
Services call `ensure_allowed` first; the meeting page renders its buttons from
`allowed_actions`. A new rule is one edit in a table below.
"""

from django.utils.translation import gettext_lazy as _

from accounts.access import is_county_admin, is_officer_of_agency
from anji_recycling.policy import Policy, Rule

from .choices import (
    ActionItemAction,
    ActionItemStatus,
    MeetingAction,
    MeetingActor,
    MeetingStatus,
)

C, R = MeetingActor.COMMERCE, MeetingActor.RESPONSIBLE
NOT_CANCELLED = frozenset({MeetingStatus.PLANNED, MeetingStatus.HELD})


def _label(choices):
    return lambda value: choices(value).label


MEETING_POLICY = Policy(
    noun=_("joint meeting"),
    rules={
        MeetingAction.EDIT: Rule(actors={C}, states=NOT_CANCELLED),
        # Once it has started (the service checks the time): attendance, minutes, decisions.
        MeetingAction.RECORD: Rule(
            actors={C},
            states=NOT_CANCELLED,
            target=MeetingStatus.HELD,
            changes=_("attendance, minutes and decisions"),
        ),
        MeetingAction.ASSIGN_ITEM: Rule(
            actors={C}, states={MeetingStatus.HELD}, changes=_("an action item for an agency")
        ),
        MeetingAction.CANCEL: Rule(
            actors={C}, states={MeetingStatus.PLANNED}, target=MeetingStatus.CANCELLED
        ),
    },
    relations=lambda meeting, user: {C} if is_county_admin(user) else set(),
    action_label=_label(MeetingAction),
    actor_label=_label(MeetingActor),
    state_label=_label(MeetingStatus),
)


def action_item_relations(item, user) -> set[str]:
    relations = set()
    if is_county_admin(user):
        relations.add(C)
    if is_officer_of_agency(user, item.agency_id):
        relations.add(R)
    return relations


ACTION_ITEM_POLICY = Policy(
    noun=_("action item"),
    rules={
        # The text is required too (the service asks to describe the progress).
        ActionItemAction.REPORT_PROGRESS: Rule(actors={R, C}, states={ActionItemStatus.OPEN}),
        ActionItemAction.COMPLETE: Rule(
            actors={C}, states={ActionItemStatus.OPEN}, target=ActionItemStatus.DONE
        ),
    },
    relations=action_item_relations,
    action_label=_label(ActionItemAction),
    actor_label=_label(MeetingActor),
    state_label=_label(ActionItemStatus),
)
