"""The state × role × action walk for the workflow policies that had none: association notices
(support) and the notification settings (accounts) here; network-building projects, the
market's transfers and settlements and the joint actions on a site beside their apps' tests. For
every state, every person and every action, `allowed_actions` offers the action exactly when the
service takes it (tests/policy_walk.py). The last test keeps the walk complete: every policy
table of the project is walked by some test."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from accounts.choices import NotificationKind, NotificationSettingAction
from accounts.models import NotificationSetting
from accounts.policy import NOTIFICATION_SETTING_POLICY, KindChoice
from accounts.services import set_notification_kind
from anji_recycling.policy import Policy
from support.choices import NoticeAction
from support.models import AssociationNotice
from support.policy import NOTICE_POLICY
from support.services import publish_notice

from .factories import make_operator
from .policy_walk import disagreements, people_of_each_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(request):
    return people_of_each_role(request)


# Association notices (support) --------------------------------------------------------------


def _recipients(api_client, notice, person):
    """What the publisher's recipients list does (no service behind it: the API's action)."""

    def see():
        api_client.force_authenticate(person)
        answer = api_client.get(f"/api/v1/association-notices/{notice.pk}/recipients/")
        if answer.status_code != 200:
            raise PermissionDenied(answer.content.decode())

    return see


@pytest.mark.parametrize("published", [False, True])
def test_the_notice_policy_agrees_with_its_services(api_client, people, published):
    make_operator(actor=people["commerce"], seed=71)

    def fresh():
        return AssociationNotice(kind="convention", title="自律公约", body="请遵守。")

    stored = (
        publish_notice(notice=fresh(), operators=[], actor=people["association"])
        if published
        else None
    )

    def load():
        return AssociationNotice.objects.get(pk=stored.pk) if published else fresh()

    def call(action, notice, person):
        if action == NoticeAction.PUBLISH:
            return lambda: publish_notice(notice=notice, operators=[], actor=person)
        if notice.pk is None:
            return None  # nobody sees who received a notice not published
        return _recipients(api_client, notice, person)

    assert disagreements(NOTICE_POLICY, load=load, people=people, call=call) == []


# Notification settings (accounts) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "muted"),
    [
        (NotificationKind.OTHER, False),
        (NotificationKind.OTHER, True),
        (NotificationKind.CASE_OVERDUE, False),  # 督办: never muted
    ],
)
def test_the_notification_setting_policy_agrees_with_its_service(people, kind, muted):
    owner = people["township"]
    if muted:
        set_notification_kind(
            user=owner, kind=kind, action=NotificationSettingAction.MUTE, actor=owner
        )

    def load():
        setting = NotificationSetting.objects.filter(user=owner, kind=kind).first()
        return KindChoice(user_id=owner.pk, kind=kind, muted=bool(setting and setting.muted))

    def call(action, choice, person):
        return lambda: set_notification_kind(user=owner, kind=kind, action=action, actor=person)

    assert disagreements(NOTIFICATION_SETTING_POLICY, load=load, people=people, call=call) == []


# Every policy is walked ----------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent
# A walk names the policy as the first argument of disagreements() or api_disagreements().
WALK = re.compile(r"\b(?:api_)?disagreements\(\s*(?:[\w.]+\.)?([A-Z_]+_POLICY)\b")


def project_policies() -> dict[str, str]:
    """Every Policy table defined at the top of a module of the project's apps: name → module."""
    found = {}
    root = Path(apps.get_app_config("inspections").path).parent
    for config in apps.get_app_configs():
        path = Path(config.path)
        if root not in path.parents:
            continue
        for source in path.rglob("*.py"):
            if "migrations" in source.parts or "Policy(" not in source.read_text():
                continue
            name = ".".join(source.relative_to(root).with_suffix("").parts)
            module = importlib.import_module(name)
            for attribute, value in vars(module).items():
                if isinstance(value, Policy) and attribute.endswith("_POLICY"):
                    found.setdefault(attribute, name)
    return found


def test_every_policy_of_the_project_is_walked_against_its_services():
    walked = {
        match.group(1)
        for source in TESTS.rglob("*.py")
        for match in WALK.finditer(source.read_text())
    }
    policies = project_policies()
    # Found where they are: the case tables, the joint actions', support, network, trade...
    assert {"CASE_POLICY", "JOINT_ACTION_POLICY", "NOTICE_POLICY", "PROJECT_POLICY"} <= set(
        policies
    )
    assert {"TRANSFER_POLICY", "SETTLEMENT_POLICY", "NOTIFICATION_SETTING_POLICY"} <= set(policies)
    missing = {name: module for name, module in policies.items() if name not in walked}
    assert missing == {}
