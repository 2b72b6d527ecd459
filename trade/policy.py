"""Who may do what in the market: one table per workflow object (anji_recycling.policy).

A transfer is recorded and corrected by the commerce bureau or by the township of either site
(the receiving station enters what it received; the township may enter for its point), and
only while it is not settled. A settlement is made and marked paid by the commerce bureau or
by the township of the paying site."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import is_county_admin, is_township_officer, role_grants
from anji_recycling.policy import Policy, Rule

from .choices import (
    Actor,
    SettlementAction,
    SettlementState,
    TransferAction,
    TransferState,
)

NEW = "new"  # the state of a row not saved yet


def _township_relations(user, **sites) -> set:
    """The relations a township officer holds through the sites' townships."""
    if not is_township_officer(user):
        return set()
    return {actor for actor, site in sites.items() if site and site.township_id == user.township_id}


def transfer_relations(transfer, user) -> set:
    relations = {Actor.COMMERCE} if is_county_admin(user) else set()
    return relations | _township_relations(
        user,
        **{
            Actor.RECEIVER_TOWNSHIP: getattr(transfer, "to_site", None),
            Actor.SENDER_TOWNSHIP: getattr(transfer, "from_site", None),
        },
    )


def settlement_relations(settlement, user) -> set:
    relations = {Actor.COMMERCE} if is_county_admin(user) else set()
    return relations | _township_relations(
        user, **{Actor.RECEIVER_TOWNSHIP: getattr(settlement, "payer", None)}
    )


def _transfer_state(transfer) -> str:
    return NEW if transfer.pk is None else transfer.status


def _settlement_state(settlement) -> str:
    return NEW if settlement.pk is None else settlement.status


STATE_LABELS = dict(TransferState.choices + SettlementState.choices)


def _state_label(state) -> str:
    return _("not saved yet") if state == NEW else str(STATE_LABELS[state])


ENTERING = {Actor.COMMERCE, Actor.RECEIVER_TOWNSHIP, Actor.SENDER_TOWNSHIP}
PAYING = {Actor.COMMERCE, Actor.RECEIVER_TOWNSHIP}

TRANSFER_POLICY = Policy(
    noun=gettext_lazy("transfer"),
    rules={
        TransferAction.RECORD: Rule(actors=ENTERING, states={NEW}),
        TransferAction.CORRECT: Rule(actors=ENTERING, states={TransferState.OPEN}),
    },
    relations=transfer_relations,
    state_of=_transfer_state,
    action_label=lambda action: TransferAction(action).label,
    actor_label=lambda actor: Actor(actor).label,
    state_label=_state_label,
)

SETTLEMENT_POLICY = Policy(
    noun=gettext_lazy("settlement"),
    rules={
        SettlementAction.RECORD: Rule(actors=PAYING, states={NEW}),
        SettlementAction.PAY: Rule(actors=PAYING, states={SettlementState.UNPAID}),
    },
    relations=settlement_relations,
    state_of=_settlement_state,
    action_label=lambda action: SettlementAction(action).label,
    actor_label=lambda actor: Actor(actor).label,
    state_label=_state_label,
)


# Market reference data and the centre's outbound shipments: the commerce bureau's, one line a
# condition.


def may_import_transfers(user) -> bool:
    """Who may upload weighbridge records: whoever records transfers (each row is then held
    to TRANSFER_POLICY like one entered on the page)."""
    return role_grants(user, "trade.add_transfer")


def may_publish_prices(user) -> bool:
    return is_county_admin(user)


def may_record_shipments(user) -> bool:
    return is_county_admin(user)


def may_declare_stock(user, site) -> bool:
    if is_county_admin(user):
        return True
    return is_township_officer(user) and site.township_id == user.township_id


def may_clear_flag(user, site) -> bool:
    """A township officer clears its own sites' flags, with an explanation; so may the
    commerce bureau."""
    return may_declare_stock(user, site)
