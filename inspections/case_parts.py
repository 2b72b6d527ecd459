"""Each body's part in a case, for the case page: the lead (an agency, or the township), each
assisting agency with its part's state, and the township, co-responsible for every case
(属地主责). Read from what the case page prefetches: no query of its own."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import is_officer_of_agency, is_officer_of_township

from .choices import CaseStatus, PartState

# Where the lead's handling stands, by the case's status.
LEAD_STATE = {
    CaseStatus.REPORTED: _("Not dispatched yet"),
    CaseStatus.REGISTERED: _("Not dispatched yet"),
    CaseStatus.DISMISSED: _("Not registered"),
    CaseStatus.DISPATCHED: _("To accept"),
    CaseStatus.HANDLING: pgettext_lazy("case status", "Handling"),
}
# The township registers and dispatches, then verifies on site.
TOWNSHIP_STATE = {
    CaseStatus.REPORTED: _("To register"),
    CaseStatus.REGISTERED: _("To dispatch"),
    CaseStatus.HANDLED: _("To verify on site"),
}


@dataclass(frozen=True)
class AgencyPart:
    name: str
    role: str
    state: str
    state_key: str  # for the badge's colour: open, done, waived, waiting
    note: str = ""
    by: str = ""
    measures: int | None = None  # the agency's enforcement measures on the case
    yours: bool = False


def _lead_state(case) -> tuple[str, str]:
    if case.status in LEAD_STATE:
        return str(LEAD_STATE[case.status]), "open" if case.status != CaseStatus.DISMISSED else ""
    return str(_("Handling finished")), "done"


def _township_state(case) -> tuple[str, str]:
    if case.status in TOWNSHIP_STATE:
        return str(TOWNSHIP_STATE[case.status]), "open"
    return str(_("Co-responsible")), "waiting"


def agency_parts(case, user) -> list[AgencyPart]:
    """The lead, the assisting agencies and the township, in that order, with their state."""
    measures: dict = {}
    for action in case.actions.all():
        measures[action.agency_id] = measures.get(action.agency_id, 0) + 1
    state, key = _lead_state(case)
    rows = [
        AgencyPart(
            name=case.lead_label,
            role=str(_("Lead")),
            state=state,
            state_key=key,
            measures=measures.get(case.lead_agency_id, 0),
            yours=(
                is_officer_of_agency(user, case.lead_agency_id)
                if case.lead_agency_id
                else is_officer_of_township(user, case.township_id)
            ),
        )
    ]
    parts = {part.agency_id: part for part in case.parts.all()}
    for agency in case.assisting_agencies.all():
        part = parts.get(agency.pk)
        rows.append(
            AgencyPart(
                name=agency.name,
                role=str(_("Assisting")),
                state=part.get_state_display() if part else str(_("Assisting")),
                state_key=part.state if part else "waiting",
                note=part.note if part else "",
                by=(
                    f"{part.closed_by} {part.closed_at:%Y-%m-%d}"
                    if part and part.state != PartState.OPEN and part.closed_by_id
                    else ""
                ),
                measures=measures.get(agency.pk, 0),
                yours=is_officer_of_agency(user, agency.pk),
            )
        )
    if case.lead_agency_id is not None:
        state, key = _township_state(case)
        rows.append(
            AgencyPart(
                name=case.township.name,
                role=str(_("Co-responsible township")),
                state=state,
                state_key=key,
                yours=is_officer_of_township(user, case.township_id),
            )
        )
    return rows
