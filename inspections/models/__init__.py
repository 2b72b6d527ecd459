"""Inspections (patrol reports), findings, and the enforcement cases they open: cases and their
timeline, reports and their findings, extension requests, enforcement actions, joint
enforcement, patrol plans and tasks. One module a concern; every name is importable from here
as before (migrations name evidence_path here)."""

from .cases import (
    Case,
    CaseEscalation,
    CaseEvent,
    CaseQuerySet,
    CaseSequence,
    CaseSideQuerySet,
    open_case_condition,
    overdue_case_condition,
)
from .enforcement import EnforcementAction
from .extensions import CaseRequest
from .joint import (
    JointAction,
    JointActionAgency,
    JointActionAgencyQuerySet,
    JointActionQuerySet,
    JointPart,
)
from .patrols import PatrolPlan, PatrolPlanQuerySet, PatrolTask, PatrolTaskQuerySet
from .reports import (
    ChecklistItem,
    ChecklistResponse,
    Evidence,
    Finding,
    Inspection,
    InspectionOfficer,
    InspectionOfficerQuerySet,
    InspectionQuerySet,
    evidence_path,
)

__all__ = [
    "Case",
    "CaseEscalation",
    "CaseEvent",
    "CaseQuerySet",
    "CaseRequest",
    "CaseSequence",
    "CaseSideQuerySet",
    "ChecklistItem",
    "ChecklistResponse",
    "EnforcementAction",
    "Evidence",
    "Finding",
    "Inspection",
    "InspectionOfficer",
    "InspectionOfficerQuerySet",
    "InspectionQuerySet",
    "JointAction",
    "JointActionAgency",
    "JointActionAgencyQuerySet",
    "JointActionQuerySet",
    "JointPart",
    "PatrolPlan",
    "PatrolPlanQuerySet",
    "PatrolTask",
    "PatrolTaskQuerySet",
    "evidence_path",
    "open_case_condition",
    "overdue_case_condition",
]
