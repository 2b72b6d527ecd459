"""What every case service shares: the timeline entry, the stage clock, today."""

import datetime as dt

from django.utils import timezone

from anji_recycling.validators import validate_attachment

from ..deadlines import end_stage, start_stage
from ..models import Case, CaseEvent, Evidence
from ..policy import ENDS_STAGE


def today() -> dt.date:
    return timezone.localdate()


def start_or_end_stage(case: Case, stage: str | None, *, at, calendar) -> None:
    if stage is None:
        if case.status in ENDS_STAGE:
            end_stage(case)
        return
    start_stage(case, stage, at=at, calendar=calendar)


def record(case, *, action, actor, comment="", source="", target="", attachments=()):
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=source,
        to_status=target,
        actor=actor,
        comment=comment,
    )
    for upload in attachments:
        validate_attachment(upload)
        Evidence.objects.create(event=event, file=upload)
    return event
