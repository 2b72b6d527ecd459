"""What officials do to many rows at once: register (立案) or dispatch several reported cases,
give several patrol tasks to one grid worker.

Each row goes through the same service as one at a time (the case policy, the patrol-task
policy, the row lock), all in one transaction: when one row is refused nothing is changed, and
the message names the row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import CaseAction
from .patrols import assign_patrol_task
from .services import transition_case

# A page of the case list or of the unassigned tasks at most.
MAX_ROWS = 100
# Moves that need no comment and that a township makes many times a day.
CASE_BULK_ACTIONS = (CaseAction.REGISTER, CaseAction.DISPATCH)


def _why(error) -> str:
    if isinstance(error, ValidationError):
        return "".join(error.messages)
    return str(error) or _("You may not do that.")


@transaction.atomic
def transition_cases(*, cases, action: str, actor) -> int:
    """Move every case of `cases` by `action`; returns how many moved (all, or none)."""
    if action not in CASE_BULK_ACTIONS:
        raise ValidationError(_("This action is taken one case at a time, on the case's page."))
    for case in sorted(cases, key=lambda row: row.pk):
        try:
            transition_case(case=case, action=action, actor=actor)
        except (ValidationError, PermissionDenied) as error:
            raise ValidationError(
                _("Case %(number)s: %(reason)s No case was changed.")
                % {"number": case.number, "reason": _why(error)}
            ) from error
    return len(cases)


@transaction.atomic
def assign_patrol_tasks(*, tasks, worker, actor) -> int:
    """Give every task of `tasks` to `worker`; returns how many (all, or none)."""
    for task in sorted(tasks, key=lambda row: row.pk):
        try:
            assign_patrol_task(task=task, worker=worker, actor=actor)
        except (ValidationError, PermissionDenied) as error:
            raise ValidationError(
                _("Patrol task at %(site)s: %(reason)s No task was changed.")
                % {"site": task.site, "reason": _why(error)}
            ) from error
    return len(tasks)
