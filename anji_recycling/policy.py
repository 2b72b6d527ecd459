"""Who may do what to a workflow object, as data: one `Policy` per workflow.

Each workflow (a case, a deduction, a transfer, ...) states its actions in one table: the
states an action starts from, the actor relations that may take it (the commerce office, the
case's township, the lead agency, ...), whether a comment or an attachment is required, the
state it moves to and, in words, what it changes. Services call `ensure_allowed` first; pages
render their buttons from `allowed_actions`; the API returns `allowed_actions` on each object
and refuses the rest with the same Chinese message. A new rule is one edit in the table.

    CASE_POLICY = Policy(
        noun=_("case"),
        rules={
            CaseAction.REROUTE: Rule(actors={Actor.COMMERCE}, states={CaseStatus.REGISTERED},
                                     needs_comment=True, changes=_("the lead agency")),
            ...
        },
        relations=case_relations,            # (case, user) -> {Actor.LEAD, ...}
        action_label=lambda a: CaseAction(a).label,
        actor_label=lambda a: Actor(a).label,
        state_label=lambda s: CaseStatus(s).label,
    )
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

ANY_STATE = None


@dataclass(frozen=True)
class Rule:
    """One way to take an action: from these states (None: any), by these actor relations."""

    actors: frozenset
    states: frozenset | None = ANY_STATE
    target: str | None = None  # the state the object moves to, when the action moves it
    needs_comment: bool = False
    comment_field: str = "comment"  # the input the reason comes in ("reason", say)
    needs_attachment: bool = False
    changes: str = ""  # what the action changes, in the county's words
    # A condition on the object besides its state (an agency leads the case, say), and the
    # refusal when it does not hold.
    when: Callable[[object], bool] | None = None
    unless: str | Callable[[object], str] = ""
    # The same condition in SQL, for the lists that filter by the policy (`Policy.offering`).
    when_q: Callable[[], Q] | None = None

    def __post_init__(self):
        object.__setattr__(self, "actors", frozenset(self.actors))
        if self.states is not None:
            object.__setattr__(self, "states", frozenset(self.states))

    def starts_from(self, state) -> bool:
        return self.states is None or state in self.states

    def holds_for(self, obj) -> bool:
        return self.when is None or self.when(obj)


@dataclass
class Policy:
    """The actions of one workflow. `rules` maps an action to one rule, or to several rules
    that start from different states (reopening a closed and a dismissed case, say)."""

    rules: Mapping[str, Rule | tuple[Rule, ...]]
    relations: Callable[[object, object], set]
    noun: str = ""  # the object's name in messages ("case", "deduction"), a lazy translation
    state_of: Callable[[object], str] = field(default=lambda obj: obj.status)
    action_label: Callable[[str], str] = str
    actor_label: Callable[[str], str] = str
    state_label: Callable[[str], str] = str
    # The SQL form of `relations`, for lists that ask the database which objects offer a user
    # an action (`offering`): user -> {relation: condition on the object that the user holds
    # it}, for the relations the user can hold at all. Tests compare it with `relations`.
    relations_q: Callable[[object], dict] | None = None
    state_field: str = "status"

    def rules_of(self, action) -> tuple[Rule, ...]:
        rules = self.rules.get(action, ())
        return (rules,) if isinstance(rules, Rule) else tuple(rules)

    def rule_for(self, obj, action) -> Rule | None:
        """The rule for taking `action` from the object's current state, whoever takes it."""
        state = self.state_of(obj)
        return next((rule for rule in self.rules_of(action) if rule.starts_from(state)), None)

    def allowed_actions(self, obj, user, *, relations: Iterable | None = None) -> list[str]:
        """The actions this user may take on the object now, in the table's order."""
        held = set(self.relations(obj, user) if relations is None else relations)
        allowed = []
        for action in self.rules:
            rule = self.rule_for(obj, action)
            if rule is not None and rule.actors & held and rule.holds_for(obj):
                allowed.append(action)
        return allowed

    def offering(self, user, actions: Iterable[str]) -> Q:
        """The objects on which `allowed_actions` offers the user one of `actions`, as one SQL
        condition: the list pages filter, count and cut in the database, however many objects
        there are."""
        held = self.relations_q(user)
        conditions = []
        for action in actions:
            for rule in self.rules_of(action):
                holders = [held[actor] for actor in sorted(rule.actors) if actor in held]
                if not holders:
                    continue
                if rule.when is not None and rule.when_q is None:
                    raise ImproperlyConfigured(f"{action}: a rule with `when` needs `when_q`.")
                condition = reduce(or_, holders)
                if rule.states is not None:
                    condition &= Q(**{f"{self.state_field}__in": sorted(rule.states)})
                if rule.when_q is not None:
                    condition &= rule.when_q()
                conditions.append(condition)
        return reduce(or_, conditions) if conditions else Q(pk__in=[])

    def may(self, obj, user, action) -> bool:
        return action in self.allowed_actions(obj, user)

    def ensure_allowed(self, obj, user, action, *, comment: str = "", attachments=()) -> Rule:
        """The rule that lets this user take `action` now; otherwise the refusal, in Chinese:
        ValidationError when the object's state or the input is wrong, PermissionDenied when
        the user stands in no relation that may take it."""
        if action not in self.rules:
            raise ValidationError(_("Unknown action: %(action)s.") % {"action": action})
        rule = self.rule_for(obj, action)
        if rule is None:
            raise ValidationError(
                _("This %(noun)s is %(state)s now: '%(action)s' cannot be taken.")
                % {
                    "noun": self.noun,
                    "state": self.state_label(self.state_of(obj)),
                    "action": self.action_label(action),
                }
            )
        if not rule.holds_for(obj):
            raise ValidationError(self.unless(obj, action, rule))
        if not rule.actors & set(self.relations(obj, user)):
            raise PermissionDenied(self.refusal(action, rule))
        if rule.needs_comment and not (comment or "").strip():
            raise ValidationError({rule.comment_field: _("Give the reason.")})
        if rule.needs_attachment and not attachments:
            raise ValidationError({"attachments": _("Attach the evidence.")})
        return rule

    def unless(self, obj, action, rule: Rule) -> str:
        """Why the action cannot be taken although the object's state allows it."""
        if callable(rule.unless):
            return rule.unless(obj)
        if rule.unless:
            return rule.unless
        return _("'%(action)s' cannot be taken now.") % {"action": self.action_label(action)}

    def refusal(self, action, rule: Rule) -> str:
        return _("'%(action)s' is for %(who)s.") % {
            "action": self.action_label(action),
            "who": "、".join(str(self.actor_label(actor)) for actor in sorted(rule.actors)),
        }

    def table(self) -> list[dict]:
        """The policy as rows (action, from, actors, needs, to, changes): for documentation
        pages and for the tests that walk state × role × action."""
        return [
            {"action": action, "rule": rule}
            for action in self.rules
            for rule in self.rules_of(action)
        ]
