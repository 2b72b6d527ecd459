"""The case page's progress bar: the lifecycle's steps (上报 → 已立案 → 派遣 → 处置中 → 处置完毕 →
核查通过 → 已结案, or 上报 → 不予立案), the current one, its deadline and who must act.

Who must act is read from the case policy (`CASE_RULES`): the actors of the moves that carry the
case forward from its status, named for this case (the commerce bureau, the case's township, the
lead agency, the agencies whose part of a joint action is open). Nothing here decides a move.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import SETBACK_ACTIONS, Actor, CaseAction, CaseStatus, PartState
from .policy import CASE_RULES

S = CaseStatus

MAIN_PATH = (S.REPORTED, S.REGISTERED, S.DISPATCHED, S.HANDLING, S.HANDLED, S.VERIFIED, S.CLOSED)
DISMISSED_PATH = (S.REPORTED, S.DISMISSED)
# Reopening is the commerce bureau's exception, not the next step of a finished case.
NOT_FORWARD = SETBACK_ACTIONS | {CaseAction.REOPEN}


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Progress:
    steps: list[Step]
    current: str  # the stage whose deadline runs, else the status
    deadline: object  # a date or None
    overdue: bool
    waiting_on: list[str]


def _forward_rules(status):
    for action, rules in CASE_RULES.items():
        if action not in CaseAction.values or action in NOT_FORWARD:
            continue
        for rule in rules if isinstance(rules, tuple) else (rules,):
            if rule.starts_from(status):
                yield rule


def _names(actor, case) -> list[str]:
    """The people behind an actor relation, for this case, one relation a line."""
    if actor == Actor.COMMERCE:
        # As the agency is registered (县商务局), like every agency the case page names.
        return [str(_("County commerce bureau"))]
    if actor == Actor.TOWNSHIP:
        return [case.township.name]
    if actor == Actor.LEAD:
        return [case.lead_label]
    if actor == Actor.OPEN_PART:
        return [part.agency.name for part in case.parts.all() if part.state == PartState.OPEN]
    return []


def waiting_on(case) -> list[str]:
    """Who must act for the case to move on, in the rules' order of actors (commerce last:
    it may always step in, the township or agency is the one expected)."""
    names = []
    for rule in _forward_rules(case.status):
        actors = set(rule.actors)
        if not rule.holds_for(case):
            # The move waits on something else first (the open parts of a joint action).
            actors = {Actor.OPEN_PART}
        for actor in sorted(actors, key=lambda a: a == Actor.COMMERCE):
            for name in _names(actor, case):
                if name not in names:
                    names.append(name)
    return names


def case_progress(case) -> Progress:
    path = DISMISSED_PATH if case.status == S.DISMISSED else MAIN_PATH
    here = path.index(case.status)
    finished = case.status in {S.CLOSED, S.DISMISSED}
    steps = [
        Step(
            status=status,
            label=str(S(status).label),
            state="done" if index < here or finished else "current" if index == here else "todo",
        )
        for index, status in enumerate(path)
    ]
    return Progress(
        steps=steps,
        # The stage whose clock runs (派遣, 处置, 核查), or the status where none does.
        current=str(
            case.get_stage_display() if case.stage and not finished else S(case.status).label
        ),
        deadline=None if finished else case.stage_deadline,
        overdue=case.is_overdue,
        waiting_on=[] if finished else waiting_on(case),
    )
