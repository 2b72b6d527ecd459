"""Who may do what to a resident's report, as data (anji_recycling.policy): the township
replies and merges a duplicate; the commerce bureau also replies, and releases or turns down
the reports held over a township's daily cap."""

from django.utils.translation import gettext_lazy as _

from accounts.access import is_county_admin, is_officer_of_township
from anji_recycling.policy import Policy, Rule
from inspections.choices import CaseStatus

from .choices import ReportAction, ReportActor, ReportState

C, T = ReportActor.COMMERCE, ReportActor.TOWNSHIP


def _case_not_opened(report) -> bool:
    return report.case_id is not None and report.case.status == CaseStatus.REPORTED


REPORT_RULES = {
    ReportAction.REPLY: Rule(actors={C, T}, states={ReportState.FILED}, changes=_("the reply")),
    # Only a report whose case the township has not opened yet (上报) is merged: its case is
    # then not opened (不予立案), naming the case it joins.
    ReportAction.MERGE: Rule(
        actors={T, C},
        states={ReportState.FILED},
        when=_case_not_opened,
        unless=_("Only a report whose case is still reported (not yet opened) can be merged."),
        changes=_("the case the report belongs to"),
    ),
    ReportAction.RELEASE: Rule(actors={C}, states={ReportState.HELD}, target=ReportState.FILED),
    ReportAction.REJECT: Rule(
        actors={C}, states={ReportState.HELD}, target=ReportState.REJECTED, needs_comment=True
    ),
}


def report_relations(report, user) -> set[str]:
    relations = set()
    if is_county_admin(user):
        relations.add(C)
    if is_officer_of_township(user, report.township_id):
        relations.add(T)
    return relations


REPORT_POLICY = Policy(
    noun=_("public report"),
    rules=REPORT_RULES,
    relations=report_relations,
    state_of=lambda report: report.state,
    action_label=lambda action: ReportAction(action).label,
    actor_label=lambda actor: ReportActor(actor).label,
    state_label=lambda state: ReportState(state).label,
)


def allowed_actions(report, user) -> list[str]:
    return REPORT_POLICY.allowed_actions(report, user)


def ensure_allowed(report, user, action, *, comment: str = ""):
    return REPORT_POLICY.ensure_allowed(report, user, action, comment=comment)
