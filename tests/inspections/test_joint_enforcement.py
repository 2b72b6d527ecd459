"""Joint enforcement (部门协作、联合执法、属地主责): the commerce bureau, or the township for its
own case, adds and removes assisting agencies with a reason and the agency is told; each
assisting agency records its own enforcement measures on the case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Notification
from agencies.models import Agency
from inspections.choices import CaseStatus, EnforcementKind
from inspections.models import Case, EnforcementAction
from inspections.services import (
    add_assisting_agency,
    record_enforcement_action,
    remove_assisting_agency,
)
from tests.factories import make_user

from .conftest import report
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
            case=piling_case, kind=EnforcementKind.WARNING, document_number="安市监警1号"
        ),
        actor=everyone["market"],
    )
    assert measure.agency == market()
    lead_measure = record_enforcement_action(
        action=EnforcementAction(case=piling_case, kind=EnforcementKind.WARNING),
        actor=everyone["lead"],
    )
    assert lead_measure.agency == piling_case.lead_agency


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
