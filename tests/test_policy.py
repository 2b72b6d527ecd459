"""The policy engine every workflow states its actions with: allowed actions follow the
object's state and the user's relations; refusals say why, in Chinese."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from anji_recycling.policy import Policy, Rule

# A toy workflow: a request that its owner submits and an approver decides.
POLICY = Policy(
    noun="申请",
    rules={
        "submit": Rule(actors={"owner"}, states={"draft"}, target="submitted"),
        "approve": Rule(actors={"approver"}, states={"submitted"}, target="approved"),
        "refuse": Rule(
            actors={"approver"}, states={"submitted"}, target="refused", needs_comment=True
        ),
        "reopen": (
            Rule(actors={"approver"}, states={"approved"}, needs_comment=True),
            Rule(actors={"owner", "approver"}, states={"refused"}),
        ),
        "attach": Rule(actors={"owner"}, needs_attachment=True),
    },
    relations=lambda obj, user: {
        relation
        for relation, holds in (("owner", obj.owner == user), ("approver", user == "boss"))
        if holds
    },
    action_label={"submit": "提交", "approve": "批准", "refuse": "不予批准"}.get,
    actor_label={"owner": "申请人", "approver": "审批人"}.get,
    state_label={"draft": "草稿", "submitted": "已提交", "approved": "已批准"}.get,
)


def request(status):
    return SimpleNamespace(status=status, owner="alice")


@pytest.mark.parametrize(
    ("status", "user", "expected"),
    [
        ("draft", "alice", ["submit", "attach"]),
        ("draft", "boss", []),
        ("submitted", "alice", ["attach"]),
        ("submitted", "boss", ["approve", "refuse"]),
        ("approved", "boss", ["reopen"]),
        ("refused", "alice", ["reopen", "attach"]),
        ("refused", "mallory", []),
    ],
)
def test_allowed_actions_follow_state_and_relation(status, user, expected):
    assert POLICY.allowed_actions(request(status), user) == expected


def test_ensure_allowed_agrees_with_allowed_actions_everywhere():
    for status in ("draft", "submitted", "approved", "refused"):
        for user in ("alice", "boss", "mallory"):
            for action in POLICY.rules:
                allowed = action in POLICY.allowed_actions(request(status), user)
                try:
                    POLICY.ensure_allowed(
                        request(status), user, action, comment="理由", attachments=["x"]
                    )
                except (PermissionDenied, ValidationError):
                    assert not allowed, (status, user, action)
                else:
                    assert allowed, (status, user, action)


def test_the_rule_for_the_current_state_is_returned():
    assert POLICY.ensure_allowed(request("submitted"), "boss", "approve").target == "approved"
    rule = POLICY.ensure_allowed(request("refused"), "alice", "reopen")
    assert rule.states == frozenset({"refused"})


def test_refusals_say_why_in_chinese():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as wrong_state:
            POLICY.ensure_allowed(request("approved"), "boss", "approve")
        assert "已批准" in wrong_state.value.messages[0]
        assert "批准" in wrong_state.value.messages[0]
        with pytest.raises(PermissionDenied) as wrong_person:
            POLICY.ensure_allowed(request("submitted"), "alice", "approve")
        assert str(wrong_person.value) == "“批准”操作应由审批人执行。"
        with pytest.raises(ValidationError) as no_reason:
            POLICY.ensure_allowed(request("submitted"), "boss", "refuse", comment="  ")
        assert no_reason.value.message_dict == {"comment": ["请填写原因。"]}
        with pytest.raises(ValidationError) as no_file:
            POLICY.ensure_allowed(request("draft"), "alice", "attach")
        assert "attachments" in no_file.value.message_dict


def test_an_unknown_action_is_refused():
    with pytest.raises(ValidationError):
        POLICY.ensure_allowed(request("draft"), "alice", "delete-everything")


def test_a_condition_besides_the_state_is_checked_with_its_own_refusal():
    policy = Policy(
        rules={
            "assign": Rule(
                actors={"owner"}, when=lambda obj: obj.team is not None, unless="没有可指派的人"
            )
        },
        relations=lambda obj, user: {"owner"},
    )
    without_team = SimpleNamespace(status="draft", team=None)
    assert policy.allowed_actions(without_team, "alice") == []
    with pytest.raises(ValidationError, match="没有可指派的人"):
        policy.ensure_allowed(without_team, "alice", "assign")
    assert policy.allowed_actions(SimpleNamespace(status="draft", team="A"), "alice") == ["assign"]
