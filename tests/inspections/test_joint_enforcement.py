"""Joint enforcement (部门协作、联合执法、属地主责): the commerce bureau, or the township for its
own case, adds and removes assisting agencies with a reason and the agency is told; each
assisting agency records its own enforcement measures on the case."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Notification
from agencies.models import Agency
from inspections.choices import CaseAction, CaseSideAction, CaseStatus, EnforcementKind
from inspections.models import Case, EnforcementAction
from inspections.policy import CASE_POLICY
from inspections.services import (
    add_assisting_agency,
    finish_part,
    record_enforcement_action,
    remove_assisting_agency,
    set_joint_inspection,
    transition_case,
    waive_part,
)
from tests.factories import make_user

from .conftest import category, report
from .test_case_policy import bring_to

pytestmark = pytest.mark.django_db

CHANGSHUO = "330523002"


@pytest.fixture
def everyone(commerce_admin, dipu_officer, dipu_grid_worker, urban_officer, market_officer):
    return {
        "commerce": commerce_admin,
        "township": dipu_officer,
        "grid worker": dipu_grid_worker,
        "lead": urban_officer,
        "market": market_officer,
    }


@pytest.fixture
def piling_case(built_up_site, everyone):
    (case,) = report(built_up_site, everyone["grid worker"], "appearance")  # lead: 综合执法局
    return bring_to(case, CaseStatus.HANDLING, everyone)


def market():
    return Agency.objects.get(code="market")


def test_the_commerce_bureau_asks_an_agency_to_assist_and_its_officers_are_told(
    piling_case, everyone
):
    officer = everyone["market"]
    assert not Case.objects.visible_to(officer).filter(pk=piling_case.pk).exists()

    add_assisting_agency(
        case=piling_case, agency=market(), actor=everyone["commerce"], reason="疑似无照经营"
    )

    assert list(piling_case.assisting_agencies.all()) == [market()]
    event = piling_case.events.last()
    assert (event.action, event.actor) == ("assist_added", everyone["commerce"])
    assert "疑似无照经营" in event.comment
    told = Notification.objects.get(recipient=officer)
    assert piling_case.number in told.title
    assert told.link == piling_case.get_absolute_url()
    assert Case.objects.visible_to(officer).filter(pk=piling_case.pk).exists()


def test_an_assisting_agency_records_its_own_measure(piling_case, everyone):
    add_assisting_agency(
        case=piling_case, agency=market(), actor=everyone["township"], reason="无照经营"
    )
    measure = record_enforcement_action(
        action=EnforcementAction(
            case=piling_case,
            kind=EnforcementKind.WARNING,
            category=category("unlicensed"),
            document_number="安市监警1号",
        ),
        actor=everyone["market"],
    )
    assert (measure.agency, measure.category) == (market(), category("unlicensed"))
    lead_measure = record_enforcement_action(
        action=EnforcementAction(case=piling_case, kind=EnforcementKind.WARNING),
        actor=everyone["lead"],
    )
    assert lead_measure.agency == piling_case.lead_agency
    assert lead_measure.category == piling_case.category


@pytest.mark.parametrize("problem", [None, "fire_hazard", "appearance"])
def test_an_assisting_agency_acts_only_within_its_duties(piling_case, everyone, problem):
    """市场监管局 handles licences and special equipment: not fire safety, not the piling
    that the lead handles, and not a measure that names no problem."""
    add_assisting_agency(
        case=piling_case, agency=market(), actor=everyone["commerce"], reason="无照"
    )
    measure = EnforcementAction(
        case=piling_case,
        kind=EnforcementKind.WARNING,
        category=category(problem) if problem else None,
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        record_enforcement_action(action=measure, actor=everyone["market"])
    (message,) = refused.value.message_dict["category"]
    assert "市场监管局" in message
    assert category("unlicensed").name in message
    assert not EnforcementAction.objects.filter(case=piling_case).exists()


def test_only_the_commerce_bureau_and_the_cases_township_assemble_the_joint_action(
    piling_case, everyone
):
    other_township = make_user("township_officer", township_code=CHANGSHUO)
    for person in (everyone["lead"], everyone["market"], other_township):
        with pytest.raises(PermissionDenied):
            add_assisting_agency(case=piling_case, agency=market(), actor=person, reason="协助")
    assert not piling_case.assisting_agencies.exists()


def test_the_lead_never_assists_itself_and_no_agency_assists_twice(piling_case, everyone):
    admin = everyone["commerce"]
    with pytest.raises(ValidationError):
        add_assisting_agency(
            case=piling_case, agency=piling_case.lead_agency, actor=admin, reason="协助"
        )
    add_assisting_agency(case=piling_case, agency=market(), actor=admin, reason="协助")
    with pytest.raises(ValidationError):
        add_assisting_agency(case=piling_case, agency=market(), actor=admin, reason="再次")
    with pytest.raises(ValidationError):
        add_assisting_agency(
            case=piling_case, agency=Agency.objects.get(code="fire"), actor=admin, reason=" "
        )
    assert list(piling_case.assisting_agencies.all()) == [market()]


def test_removing_an_assisting_agency_keeps_the_reason_and_ends_its_access(piling_case, everyone):
    admin = everyone["commerce"]
    add_assisting_agency(case=piling_case, agency=market(), actor=admin, reason="协助")
    remove_assisting_agency(case=piling_case, agency=market(), actor=admin, reason="已查明有照")

    assert not piling_case.assisting_agencies.exists()
    assert piling_case.events.last().action == "assist_removed"
    assert "已查明有照" in piling_case.events.last().comment
    assert not Case.objects.visible_to(everyone["market"]).filter(pk=piling_case.pk).exists()
    with pytest.raises(ValidationError):
        remove_assisting_agency(case=piling_case, agency=market(), actor=admin, reason="再次")


def test_the_case_page_and_the_api_assemble_the_joint_action(client, piling_case, everyone):
    url = reverse("inspections:case-assisting", args=[piling_case.pk])
    client.force_login(everyone["lead"])
    assert f'action="{url}"' not in client.get(piling_case.get_absolute_url()).content.decode()
    with translation.override("zh-hans"):
        refused = client.post(
            f"/api/v1/cases/{piling_case.pk}/add-assisting/",
            {"agency": market().pk, "reason": "协助"},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert refused.status_code == 403
    assert "商务局" in refused.json()["detail"]

    client.force_login(everyone["township"])
    assert f'action="{url}"' in client.get(piling_case.get_absolute_url()).content.decode()
    client.post(url, {"agency": market().pk, "reason": "无照经营"})
    assert list(piling_case.assisting_agencies.all()) == [market()]

    client.force_login(everyone["commerce"])
    done = client.post(
        f"/api/v1/cases/{piling_case.pk}/remove-assisting/",
        {"agency": market().pk, "reason": "已查明"},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["assisting_agencies"] == []
    assert not piling_case.assisting_agencies.exists()


def test_the_lead_finishes_only_when_every_assisting_part_is_done_or_waived(
    client, piling_case, everyone
):
    admin, lead = everyone["commerce"], everyone["lead"]
    fire_officer = make_user("agency_officer", agency_code="fire")
    fire = Agency.objects.get(code="fire")
    add_assisting_agency(case=piling_case, agency=market(), actor=admin, reason="无照经营")
    add_assisting_agency(case=piling_case, agency=fire, actor=admin, reason="消防隐患")
    assert CaseAction.FINISH not in CASE_POLICY.allowed_actions(piling_case, lead)
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="协办|消防"):
        transition_case(case=piling_case, action=CaseAction.FINISH, actor=lead)

    assert CASE_POLICY.allowed_actions(piling_case, everyone["market"]) == [
        CaseSideAction.RECORD_ENFORCEMENT,
        CaseSideAction.FINISH_PART,
    ]
    finish_part(case=piling_case, actor=everyone["market"], note="已责令办理营业执照")
    with pytest.raises(PermissionDenied):  # its part is no longer open
        finish_part(case=piling_case, actor=everyone["market"])
    with pytest.raises(PermissionDenied):
        waive_part(case=piling_case, agency=fire, actor=fire_officer, reason="自行免除")
    waive_part(case=piling_case, agency=fire, actor=admin, reason="已由属地整改")

    parts = {part.agency.code: part for part in piling_case.parts.all()}
    assert (parts["market"].state, parts["market"].closed_by) == ("done", everyone["market"])
    assert (parts["fire"].state, parts["fire"].note) == ("waived", "已由属地整改")
    client.force_login(lead)
    body = client.get(f"/api/v1/cases/{piling_case.pk}/")
    assert {row["state"] for row in body.json()["parts"]} == {"done", "waived"}
    assert "finish" in body.json()["allowed_actions"]
    case = transition_case(case=piling_case, action=CaseAction.FINISH, actor=lead)
    assert case.status == CaseStatus.HANDLED
    actions = list(case.events.values_list("action", flat=True))
    assert actions[-3:] == ["part_done", "part_waived", "finish"]


def test_an_assisting_agency_marks_its_part_done_on_the_page_and_in_the_api(
    client, piling_case, everyone
):
    add_assisting_agency(
        case=piling_case, agency=market(), actor=everyone["commerce"], reason="无照"
    )
    client.force_login(everyone["market"])
    page = client.get(piling_case.get_absolute_url()).content.decode()
    done_url = reverse("inspections:case-part-done", args=[piling_case.pk])
    assert f'action="{done_url}"' in page
    response = client.post(
        f"/api/v1/cases/{piling_case.pk}/finish-part/",
        {"note": "已查处"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["parts"][0]["state"] == "done"
    assert "finish_part" not in response.json()["allowed_actions"]
    page = client.get(piling_case.get_absolute_url()).content.decode()
    assert f'action="{done_url}"' not in page


def test_a_joint_inspection_day_is_set_and_every_agency_and_the_township_are_told(
    piling_case, everyone
):
    """联合检查: the lead, each assisting agency and the township (属地主责) hear of the day."""
    with pytest.raises(ValidationError):  # no assisting agency yet: nothing joint to inspect
        set_joint_inspection(case=piling_case, on=timezone.localdate(), actor=everyone["commerce"])
    add_assisting_agency(
        case=piling_case, agency=market(), actor=everyone["commerce"], reason="无照"
    )
    Notification.objects.all().delete()
    with pytest.raises(PermissionDenied):
        set_joint_inspection(case=piling_case, on=timezone.localdate(), actor=everyone["lead"])
    past = timezone.localdate() - dt.timedelta(days=1)
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="联合检查"):
        set_joint_inspection(case=piling_case, on=past, actor=everyone["township"])
    assert Case.objects.get(pk=piling_case.pk).joint_inspection_on is None

    day = timezone.localdate() + dt.timedelta(days=3)
    set_joint_inspection(case=piling_case, on=day, actor=everyone["township"], note="带检查记录")

    piling_case.refresh_from_db()
    assert piling_case.joint_inspection_on == day
    assert piling_case.history.first().history_user == everyone["township"]
    event = piling_case.events.last()
    assert (event.action, event.actor) == ("joint_inspection_set", everyone["township"])
    assert day.isoformat() in event.comment
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {
        everyone["lead"].username,
        everyone["market"].username,
        everyone["township"].username,
    } <= told
    assert everyone["grid worker"].username not in told


def test_the_joint_inspection_day_on_the_page_and_in_the_api(client, piling_case, everyone):
    add_assisting_agency(
        case=piling_case, agency=market(), actor=everyone["commerce"], reason="无照"
    )
    url = reverse("inspections:case-joint-inspection", args=[piling_case.pk])
    day = timezone.localdate() + dt.timedelta(days=2)
    client.force_login(everyone["market"])  # an assisting agency does not set the day
    assert f'action="{url}"' not in client.get(piling_case.get_absolute_url()).content.decode()
    refused = client.post(
        f"/api/v1/cases/{piling_case.pk}/joint-inspection/",
        {"on": day.isoformat()},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert refused.status_code == 403
    client.force_login(everyone["commerce"])
    assert f'action="{url}"' in client.get(piling_case.get_absolute_url()).content.decode()
    bad = client.post(
        f"/api/v1/cases/{piling_case.pk}/joint-inspection/",
        {"on": "2026-13-40"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    response = client.post(
        f"/api/v1/cases/{piling_case.pk}/joint-inspection/",
        {"on": day.isoformat(), "note": "带消防检查记录"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["joint_inspection_on"] == day.isoformat()
    assert "set_joint_inspection" in response.json()["allowed_actions"]

    later = day + dt.timedelta(days=1)
    page = client.post(url, {"on": later.isoformat(), "note": ""}, follow=True)
    assert later.isoformat() in page.content.decode()
    assert Case.objects.get(pk=piling_case.pk).joint_inspection_on == later
