"""The case lifecycle in one table, after China's digital city-management practice:
上报 → 立案 (or 不予立案) → 派遣 → 处置 → 处置完毕 → 核查 (or back to 处置) → 结案; reopening
needs a reason. Services consult this table; views never decide transitions.
"""

from dataclasses import dataclass

from .choices import Actor, CaseAction, CaseStatus, Stage


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    actors: frozenset
    needs_comment: bool = False
    # The stage whose deadline starts when the case arrives at `target`; None keeps the
    # current stage and deadline, except at a status that waits on nobody (see ENDS_STAGE).
    starts: str | None = None


C, T, L = Actor.COMMERCE, Actor.TOWNSHIP, Actor.LEAD

MOVES: dict[str, tuple[Move, ...]] = {
    CaseAction.REGISTER: (
        Move(CaseStatus.REPORTED, CaseStatus.REGISTERED, frozenset({C, T}), starts=Stage.DISPATCH),
    ),
    CaseAction.DISMISS: (
        Move(CaseStatus.REPORTED, CaseStatus.DISMISSED, frozenset({C, T}), needs_comment=True),
    ),
    CaseAction.DISPATCH: (
        Move(CaseStatus.REGISTERED, CaseStatus.DISPATCHED, frozenset({C, T}), starts=Stage.HANDLE),
    ),
    # Accepting keeps the handling clock that dispatching started.
    CaseAction.ACCEPT: (Move(CaseStatus.DISPATCHED, CaseStatus.HANDLING, frozenset({L})),),
    CaseAction.RETURN: (
        Move(
            CaseStatus.DISPATCHED,
            CaseStatus.REGISTERED,
            frozenset({L}),
            needs_comment=True,
            starts=Stage.DISPATCH,
        ),
    ),
    CaseAction.FINISH: (
        Move(CaseStatus.HANDLING, CaseStatus.HANDLED, frozenset({L}), starts=Stage.VERIFY),
    ),
    CaseAction.VERIFY_PASS: (Move(CaseStatus.HANDLED, CaseStatus.VERIFIED, frozenset({T, C})),),
    CaseAction.VERIFY_FAIL: (
        Move(
            CaseStatus.HANDLED,
            CaseStatus.HANDLING,
            frozenset({T, C}),
            needs_comment=True,
            starts=Stage.HANDLE,
        ),
    ),
    CaseAction.CLOSE: (Move(CaseStatus.VERIFIED, CaseStatus.CLOSED, frozenset({C})),),
    CaseAction.REOPEN: (
        Move(
            CaseStatus.CLOSED,
            CaseStatus.HANDLING,
            frozenset({C}),
            needs_comment=True,
            starts=Stage.HANDLE,
        ),
        Move(
            CaseStatus.DISMISSED,
            CaseStatus.REPORTED,
            frozenset({C}),
            needs_comment=True,
            starts=Stage.REGISTER,
        ),
    ),
}


# Arriving here ends the deadline clock.
ENDS_STAGE = frozenset({CaseStatus.VERIFIED, CaseStatus.CLOSED, CaseStatus.DISMISSED})


def move_for(*, action: str, source: str) -> Move | None:
    return next((move for move in MOVES.get(action, ()) if move.source == source), None)


def actions_from(source: str) -> list[str]:
    return [action for action, moves in MOVES.items() if any(m.source == source for m in moves)]
