"""The patrol figures: tasks due and done in the period, open ones past their due date."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from inspections.choices import PatrolTaskStatus
from inspections.models import PatrolTask
from sites.coverage import percent

from .. import links
from ..periods import Period


@dataclass(frozen=True)
class PatrolFigures:
    due: int  # tasks of the period whose due date has passed, or done already (not cancelled)
    done: int  # of those, done: a report filed within the task's period
    overdue: int  # open tasks past their due date, now
    url: str

    @property
    def on_cadence_percent(self) -> Decimal | None:
        return percent(self.done, self.due)


def patrol_figures(*, user, period: Period, today: dt.date) -> PatrolFigures:
    """Patrol tasks due in the period and how many were done on cadence; one aggregate. A task
    still open before its due date is not late yet and does not count against the rate."""
    due = (
        Q(due_on__gte=period.start, due_on__lte=period.end)
        & ~Q(status=PatrolTaskStatus.CANCELLED)
        & (Q(due_on__lt=today) | Q(status=PatrolTaskStatus.DONE))
    )
    overdue = Q(status=PatrolTaskStatus.OPEN, due_on__lt=today)
    # Only the period's tasks and the open late ones are read (indexes on the due date and on
    # status and due date), not every task.
    in_period = Q(due_on__gte=period.start, due_on__lte=period.end)
    counts = (
        PatrolTask.objects.visible_to(user)
        .filter(in_period | overdue)
        .aggregate(
            due=Count("pk", filter=due),
            done=Count("pk", filter=due & Q(status=PatrolTaskStatus.DONE)),
            overdue=Count("pk", filter=overdue),
        )
    )
    return PatrolFigures(**counts, url=links.patrols())
