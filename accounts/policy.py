"""Who may turn which notifications off: one table (anji_recycling.policy).

Each user chooses for themselves, kind by kind, whether notifications reach them (the inbox
and the email alike); nobody chooses for another. The 督办 kinds (overdue and escalated cases,
overdue action items) cannot be turned off: the leading group's follow-up reaches its people."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from anji_recycling.policy import Policy, Rule

from .choices import (
    SUPERVISED_NOTIFICATION_KINDS,
    NotificationKind,
    NotificationSettingAction,
    NotificationSettingActor,
    NotificationSettingState,
)


@dataclass(frozen=True)
class KindChoice:
    """One user's choice for one kind of notification."""

    user_id: int
    kind: str
    muted: bool

    @property
    def label(self) -> str:
        return NotificationKind(self.kind).label

    @property
    def supervised(self) -> bool:
        return self.kind in SUPERVISED_NOTIFICATION_KINDS


def _relations(choice, user) -> set:
    if user.is_authenticated and user.pk == choice.user_id:
        return {NotificationSettingActor.OWNER}
    return set()


def _state(choice) -> str:
    return NotificationSettingState.MUTED if choice.muted else NotificationSettingState.ON


OWNER = {NotificationSettingActor.OWNER}
NOT_SUPERVISED = gettext_lazy(
    "Notifications of overdue and escalated cases and of overdue action items are the leading "
    "group's follow-up (督办) and cannot be turned off."
)

NOTIFICATION_SETTING_POLICY = Policy(
    noun=gettext_lazy("kind of notification"),
    rules={
        NotificationSettingAction.MUTE: Rule(
            actors=OWNER,
            states={NotificationSettingState.ON},
            target=NotificationSettingState.MUTED,
            when=lambda choice: not choice.supervised,
            unless=NOT_SUPERVISED,
        ),
        NotificationSettingAction.UNMUTE: Rule(
            actors=OWNER,
            states={NotificationSettingState.MUTED},
            target=NotificationSettingState.ON,
        ),
    },
    relations=_relations,
    state_of=_state,
    action_label=lambda action: NotificationSettingAction(action).label,
    actor_label=lambda actor: NotificationSettingActor(actor).label,
    state_label=lambda state: NotificationSettingState(state).label,
)
