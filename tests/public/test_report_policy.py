"""public.policy over state × role × action: allowed_actions and ensure_allowed agree, and the
table says who may do what to a resident's report."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from public.choices import ReportAction, ReportState
from public.policy import REPORT_POLICY

pytestmark = pytest.mark.django_db

EXPECTED = {
    # (state, case status, role) -> allowed actions
    ("filed", "reported", "commerce_admin"): ["reply", "merge"],
    ("filed", "reported", "dipu_officer"): ["reply", "merge"],
    ("filed", "registered", "dipu_officer"): ["reply"],
    ("filed", "reported", "other_officer"): [],
    ("filed", "reported", "dipu_grid_worker"): [],
    ("filed", "reported", "market_officer"): [],
    ("held", None, "commerce_admin"): ["release", "reject"],
    ("held", None, "dipu_officer"): [],
    ("rejected", None, "commerce_admin"): [],
}


def _report(state, case_status, township_id):
    case = SimpleNamespace(status=case_status) if case_status else None
    return SimpleNamespace(
        state=state, case=case, case_id=1 if case else None, township_id=township_id
    )


@pytest.mark.parametrize(("state", "case_status", "role"), list(EXPECTED))
def test_who_may_do_what_to_a_report(request, state, case_status, role, dipu_officer):
    if role == "other_officer":
        from accounts.choices import Role
        from tests.factories import make_user

        user = make_user(Role.TOWNSHIP_OFFICER, township_code="330523002")
    else:
        user = request.getfixturevalue(role)
    report = _report(state, case_status, dipu_officer.township_id)
    allowed = REPORT_POLICY.allowed_actions(report, user)
    assert allowed == EXPECTED[(state, case_status, role)]
    for action in ReportAction.values:
        if action in allowed:
            REPORT_POLICY.ensure_allowed(report, user, action, comment="理由")
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                REPORT_POLICY.ensure_allowed(report, user, action, comment="理由")


def test_turning_down_needs_a_reason(commerce_admin):
    report = _report(ReportState.HELD, None, 1)
    with pytest.raises(ValidationError, match="原因"):
        REPORT_POLICY.ensure_allowed(report, commerce_admin, ReportAction.REJECT, comment=" ")
