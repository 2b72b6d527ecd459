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


@pytest.mark.parametrize("state", ["filed", "held"])
def test_the_report_policy_agrees_with_its_services(request, commerce_admin, state):
    """State × person × action on real reports: `allowed_actions` offers an action exactly when
    its service (public/services.py) takes it (tests/policy_walk.py)."""
    from public.models import PublicReport
    from public.services import (
        merge_report_case,
        reject_held_report,
        release_held_report,
        reply_to_report,
        set_public_reporting,
    )
    from tests.policy_walk import disagreements, people_of_each_role
    from tests.public.test_report_safeguards import _post

    set_public_reporting(actor=commerce_admin, is_open=True, daily_cap=2)
    _post(place="桥下")  # the case a duplicate is merged into
    _post(place="桥下同一处", latitude="30.630100", longitude="119.680100")
    if state == "held":
        _post(place="第三处")
    first, report = PublicReport.objects.order_by("pk")[:: 2 if state == "held" else 1][:2]
    assert report.state == state
    services = {
        ReportAction.REPLY: lambda r, p: reply_to_report(
            report=r, actor=p, status="registered", reply="已受理"
        ),
        ReportAction.MERGE: lambda r, p: merge_report_case(
            report=r, actor=p, into_number=first.case.number
        ),
        ReportAction.RELEASE: lambda r, p: release_held_report(report=r, actor=p),
        ReportAction.REJECT: lambda r, p: reject_held_report(report=r, actor=p, reason="重复"),
    }
    assert set(services) == set(REPORT_POLICY.rules)
    found = disagreements(
        REPORT_POLICY,
        load=lambda: PublicReport.objects.select_related("case").get(pk=report.pk),
        people=people_of_each_role(request),
        call=lambda action, fresh, person: lambda: services[action](fresh, person),
    )
    assert found == []
