"""Every write to inspections and cases goes through these services, one module per concern:
filing reports, moving cases, requests for more time, enforcement, joint enforcement."""

from .enforcement import SITE_EFFECTS, ensure_within_duties, record_enforcement_action
from .filing import (
    CLOCK_TOLERANCE,
    MAX_FINDINGS,
    MAX_PHOTOS_PER_FINDING,
    FindingInput,
    already_filed,
    ensure_not_in_future,
    file_inspection,
    file_task_report,
    open_reported_case,
    result_of,
    too_many_photos,
)
from .joint_enforcement import (
    add_assisting_agency,
    finish_part,
    remove_assisting_agency,
    set_joint_inspection,
    waive_part,
)
from .time_requests import decide_request, request_more_time
from .transitions import assign_case, reroute_case, transition_case

__all__ = [
    "CLOCK_TOLERANCE",
    "MAX_FINDINGS",
    "MAX_PHOTOS_PER_FINDING",
    "SITE_EFFECTS",
    "FindingInput",
    "add_assisting_agency",
    "already_filed",
    "assign_case",
    "decide_request",
    "ensure_not_in_future",
    "ensure_within_duties",
    "file_inspection",
    "file_task_report",
    "finish_part",
    "open_reported_case",
    "record_enforcement_action",
    "remove_assisting_agency",
    "request_more_time",
    "reroute_case",
    "result_of",
    "set_joint_inspection",
    "too_many_photos",
    "transition_case",
    "waive_part",
]
