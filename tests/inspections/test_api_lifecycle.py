"""An API client takes a case from filing to closing without the pages (DRF's APIClient only):
a grid worker files a report with the checklist, a finding with a photo (multipart) and the
position; the township registers and dispatches; the lead agency accepts and gives the case to
an officer; the commerce bureau adds an assisting agency with the reason and sets the joint
inspection date; the assisting agency records its measure within its duties and marks its part
done; the lead finishes with evidence; the township verifies; the commerce bureau closes. Each
answer carries `allowed_actions`, and a refused action answers 403 with the Chinese message the
page shows (the service's refusal)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from accounts.choices import Role
from agencies.models import Agency
from inspections.models import Case, ChecklistItem, Evidence, Inspection
from inspections.services import add_assisting_agency, finish_part, transition_case
from tests.factories import make_user, png_bytes
from tests.policy_walk import outcome

from .conftest import category

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def png(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def refused_as_the_page_refuses(api_client, person, url, data, service, fmt="json"):
    """The API's 403 says what the service (and so the page, which shows its refusal) says."""
    with translation.override("zh-hans"):
        took, messages = outcome(service)
    assert not took and len(messages) == 1
    api_client.force_authenticate(person)
    answer = api_client.post(url, data, format=fmt, **ZH)
    assert answer.status_code == 403, answer.content
    assert answer.json()["detail"] == messages[0]
    return messages[0]


def test_an_api_client_takes_a_joint_case_from_filing_to_closing(
    api_client,
    built_up_site,
    dipu_grid_worker,
    dipu_officer,
    urban_officer,
    market_officer,
    commerce_admin,
):
    urban_colleague = make_user(Role.AGENCY_OFFICER, agency_code="urban")
    market = Agency.objects.get(code="market")

    # 上报: the checklist, a finding with a photo (multipart), the position.
    api_client.force_authenticate(dipu_grid_worker)
    item = ChecklistItem.objects.filter(is_active=True).first()
    filed = api_client.post(
        "/api/v1/inspections/",
        {
            "site": built_up_site.pk,
            "latitude": "30.630500",
            "longitude": "119.681000",
            "answers[0]item": item.pk,
            "answers[0]answer": "no",
            "findings[0]category": category("appearance").pk,
            "findings[0]description": "门前堆放废品",
            "findings[0]photos[0]": png(),
        },
        format="multipart",
    )
    assert filed.status_code == 201, filed.content
    report = Inspection.objects.get(pk=filed.json()["id"])
    assert (str(report.latitude), report.answers.count()) == ("30.630500", 1)
    (finding,) = filed.json()["findings"]
    assert Evidence.objects.filter(finding_id=finding["id"]).count() == 1
    case_id = Case.objects.get(number=finding["case_number"]).pk
    url = f"/api/v1/cases/{case_id}/"

    def act(person, action, *, status=200, fmt="json", **data):
        api_client.force_authenticate(person)
        answer = api_client.post(url + "act/", {"action": action, **data}, format=fmt, **ZH)
        assert answer.status_code == status, answer.content
        return answer.json()

    def allowed(person):
        api_client.force_authenticate(person)
        return api_client.get(url).json()["allowed_actions"]

    # The grid worker reported it and may do nothing to it; the lead agency neither: registering
    # is the township's (or the bureau's).
    assert allowed(dipu_grid_worker) == []
    assert allowed(urban_officer) == []
    message = refused_as_the_page_refuses(
        api_client,
        urban_officer,
        url + "act/",
        {"action": "register"},
        lambda: transition_case(
            case=Case.objects.get(pk=case_id), action="register", actor=urban_officer
        ),
    )
    assert "立案" in message
    assert allowed(dipu_officer) == ["register", "dismiss"]
    assert act(dipu_officer, "register")["allowed_actions"] == [
        "dispatch",
        "add_assisting",
    ]
    dispatched = act(dipu_officer, "dispatch")
    assert dispatched["status"] == "dispatched"
    assert "accept" not in dispatched["allowed_actions"]  # the lead's, not the township's

    # 接收 and 指派: the lead agency takes the case and gives it to one of its officers.
    assert allowed(urban_officer)[:2] == ["accept", "return"]
    accepted = act(urban_officer, "accept")
    assert accepted["status"] == "handling"
    assert {"assign", "request_time", "record_enforcement", "finish"} <= set(
        accepted["allowed_actions"]
    )
    api_client.force_authenticate(urban_officer)
    assigned = api_client.post(url + "assign/", {"officer": urban_colleague.pk}, format="json")
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["assigned_to"] == urban_colleague.pk

    # 联合执法: the market bureau does not see the case yet; the lead does not assemble the
    # joint action; the commerce bureau does, with the reason.
    api_client.force_authenticate(market_officer)
    assert api_client.get(url).status_code == 404
    refused_as_the_page_refuses(
        api_client,
        urban_officer,
        url + "add-assisting/",
        {"agency": market.pk, "reason": "无照经营"},
        lambda: add_assisting_agency(
            case=Case.objects.get(pk=case_id), agency=market, actor=urban_officer, reason="无照"
        ),
    )
    api_client.force_authenticate(commerce_admin)
    joined = api_client.post(
        url + "add-assisting/", {"agency": market.pk, "reason": "无照经营"}, format="json"
    )
    assert joined.status_code == 200, joined.content
    assert joined.json()["assisting_agencies"] == [market.pk]
    assert [(p["agency"], p["state"]) for p in joined.json()["parts"]] == [(market.pk, "open")]
    assert {"set_joint_inspection", "waive_part"} <= set(joined.json()["allowed_actions"])
    day = timezone.localdate() + dt.timedelta(days=2)
    dated = api_client.post(
        url + "joint-inspection/", {"on": day.isoformat(), "note": "带营业执照"}, format="json"
    )
    assert dated.status_code == 200, dated.content
    assert dated.json()["joint_inspection_on"] == day.isoformat()

    # The lead cannot finish while the assisting agency's part is open.
    assert "finish" not in allowed(urban_officer)
    assert "县市场监管局" in str(act(urban_officer, "finish", status=400))

    # 协办: the market bureau records its measure within its duties and marks its part done.
    assert allowed(market_officer) == ["record_enforcement", "finish_part"]
    api_client.force_authenticate(market_officer)
    measure = api_client.post(
        "/api/v1/enforcement-actions/",
        {
            "case": case_id,
            "kind": "warning",
            "category": category("unlicensed").pk,
            "note": "责令三日内办理营业执照",
        },
        format="json",
    )
    assert measure.status_code == 201, measure.content
    assert measure.json()["agency"] == market.pk
    done = api_client.post(url + "finish-part/", {"note": "已警告并登记"}, format="json")
    assert done.status_code == 200, done.content
    assert [p["state"] for p in done.json()["parts"]] == ["done"]
    assert done.json()["allowed_actions"] == ["record_enforcement"]
    refused_as_the_page_refuses(
        api_client,
        market_officer,
        url + "finish-part/",
        {},
        lambda: finish_part(case=Case.objects.get(pk=case_id), actor=market_officer),
    )

    # 处置完毕 with evidence (multipart), 核查, 结案.
    assert "finish" in allowed(urban_officer)
    refused_as_the_page_refuses(
        api_client,
        market_officer,
        url + "act/",
        {"action": "finish"},
        lambda: transition_case(
            case=Case.objects.get(pk=case_id), action="finish", actor=market_officer
        ),
    )
    finished = act(
        urban_colleague,
        "finish",
        fmt="multipart",
        comment="已清理堆放物",
        attachments=[png("after.png")],
    )
    assert finished["status"] == "handled"
    event = Case.objects.get(pk=case_id).events.get(action="finish")
    assert event.attachments.count() == 1
    assert allowed(dipu_officer) == ["verify_pass", "verify_fail"]
    assert act(dipu_officer, "verify_pass")["allowed_actions"] == []
    refused_as_the_page_refuses(
        api_client,
        dipu_officer,
        url + "act/",
        {"action": "close"},
        lambda: transition_case(
            case=Case.objects.get(pk=case_id), action="close", actor=dipu_officer
        ),
    )
    closed = act(commerce_admin, "close")
    assert closed["status"] == "closed"
    assert closed["allowed_actions"] == ["reopen"]
    api_client.force_authenticate(commerce_admin)
    kinds = [row["action"] for row in api_client.get(url + "events/").json()]
    for kind in ("register", "dispatch", "accept", "assign", "finish", "verify_pass", "close"):
        assert kind in kinds
