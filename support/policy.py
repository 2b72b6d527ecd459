"""Who may do what with an association notice: one table (anji_recycling.policy).

The industry association publishes notices to operators (四（三）), and the commerce bureau may
too. Who received a notice (the operators it went to and the township officers told, read or
not) is the publisher's to see: the association follows up on its own notices; a township
reads the notice, not the list of the others it went to."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import is_association, is_county_admin
from anji_recycling.policy import Policy, Rule

from .choices import NoticeAction, NoticeActor

NEW = "new"  # a notice not published yet
PUBLISHED = "published"
PUBLISHERS = {NoticeActor.ASSOCIATION, NoticeActor.COMMERCE}


def notice_relations(notice, user) -> set:
    relations = set()
    if is_county_admin(user):
        relations.add(NoticeActor.COMMERCE)
    if is_association(user):
        relations.add(NoticeActor.ASSOCIATION)
    return relations


def _state(notice) -> str:
    return NEW if notice.pk is None else PUBLISHED


def _state_label(state) -> str:
    return _("not saved yet") if state == NEW else _("published")


NOTICE_POLICY = Policy(
    noun=gettext_lazy("association notice"),
    rules={
        NoticeAction.PUBLISH: Rule(actors=PUBLISHERS, states={NEW}),
        NoticeAction.SEE_RECIPIENTS: Rule(actors=PUBLISHERS, states={PUBLISHED}),
    },
    relations=notice_relations,
    state_of=_state,
    action_label=lambda action: NoticeAction(action).label,
    actor_label=lambda actor: NoticeActor(actor).label,
    state_label=_state_label,
)
