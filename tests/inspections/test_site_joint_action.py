"""A joint action on a site (联合执法 beyond one case): the commerce bureau, or the township for
its own sites, assembles agencies with a reason and a joint inspection date; every agency (and
the township, 属地主责) is told; the policy's allowed actions drive the page's buttons and the
API; another agency or township sees nothing of it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Notification
from agencies.models import Agency
from inspections.choices import JointActionStep, SiteAction
from inspections.joint import (
    JOINT_ACTION_POLICY,
    SITE_POLICY,
    add_joint_agency,
    assemble_joint_action,
    close_joint_action,
    remove_joint_agency,
    set_joint_action_inspection,
)
from inspections.models import Inspection, JointAction, JointActionAgency
from inspections.services import file_inspection
from sites.models import Site
from tests.factories import make_user
from tests.policy_walk import disagreements, people_of_each_role

pytestmark = pytest.mark.django_db

CHANGSHUO = "330523002"
ALL_STEPS = list(JointActionStep.values)


def agency(code):
    return Agency.objects.get(code=code)


def soon():
    return timezone.localdate() + dt.timedelta(days=3)


@pytest.fixture
def people(commerce_admin, dipu_officer, fire_officer, market_officer):
    return {
        "commerce": commerce_admin,
        "township": dipu_officer,
        "fire": fire_officer,
        "market": market_officer,
        "ecology": make_user("agency_officer", agency_code="ecology"),
        "other township": make_user("township_officer", township_code=CHANGSHUO),
    }


@pytest.fixture
def action(built_up_site, people):
    return assemble_joint_action(
        site=built_up_site,
        agencies=[agency("fire"), agency("market")],
        reason="多部门反映该点消防和无照问题",
        actor=people["commerce"],
        joint_inspection_on=soon(),
    )


def test_the_commerce_bureau_assembles_agencies_on_a_site_and_everyone_is_told(action, people):
    assert {m.agency.code for m in action.members.all()} == {"fire", "market"}
    for who in ("fire", "market", "township"):
        told = Notification.objects.get(recipient=people[who])
        assert action.site.name in told.title
        assert told.link == action.get_absolute_url()
    assert not Notification.objects.filter(recipient=people["ecology"]).exists()
    assert JointAction.history.filter(id=action.pk).get().history_user == people["commerce"]


def test_the_township_assembles_one_on_its_own_site_but_not_on_anothers(built_up_site, people):
    assert SiteAction.ASSEMBLE in SITE_POLICY.allowed_actions(built_up_site, people["township"])
    for who in ("other township", "fire"):
        assert SITE_POLICY.allowed_actions(built_up_site, people[who]) == []
        with pytest.raises(PermissionDenied):
            assemble_joint_action(
                site=built_up_site, agencies=[agency("fire")], reason="理由", actor=people[who]
            )
    assert not JointAction.objects.exists()
    assemble_joint_action(
        site=built_up_site, agencies=[agency("fire")], reason="属地牵头", actor=people["township"]
    )
    assert JointAction.objects.get().township == built_up_site.township


def test_a_site_has_one_open_joint_action_and_a_reason_is_needed(built_up_site, action, people):
    assert SiteAction.ASSEMBLE not in SITE_POLICY.allowed_actions(built_up_site, people["commerce"])
    with pytest.raises(ValidationError):
        assemble_joint_action(
            site=built_up_site, agencies=[agency("police")], reason="再来", actor=people["commerce"]
        )
    close_joint_action(action=action, note="已整改", actor=people["commerce"])
    with pytest.raises(ValidationError) as refused:
        assemble_joint_action(
            site=built_up_site, agencies=[agency("police")], reason=" ", actor=people["commerce"]
        )
    assert "reason" in refused.value.message_dict


def test_allowed_actions_by_who_stands_where(action, people):
    assert JOINT_ACTION_POLICY.allowed_actions(action, people["commerce"]) == ALL_STEPS
    assert JOINT_ACTION_POLICY.allowed_actions(action, people["township"]) == ALL_STEPS
    for who in ("fire", "market", "ecology", "other township"):
        assert JOINT_ACTION_POLICY.allowed_actions(action, people[who]) == []
    assert JointAction.objects.visible_to(people["fire"]).filter(pk=action.pk).exists()
    for who in ("ecology", "other township"):
        assert not JointAction.objects.visible_to(people[who]).exists()


@pytest.mark.parametrize(
    "step",
    [
        lambda a, p: add_joint_agency(action=a, agency=agency("police"), reason="r", actor=p),
        lambda a, p: remove_joint_agency(action=a, agency=agency("fire"), reason="r", actor=p),
        lambda a, p: set_joint_action_inspection(action=a, on=soon(), actor=p),
        lambda a, p: close_joint_action(action=a, note="完", actor=p),
    ],
)
def test_an_agency_of_the_action_may_not_change_it(action, people, step):
    with pytest.raises(PermissionDenied):
        step(action, people["fire"])


def test_agencies_join_and_leave_with_a_reason_and_the_date_is_told(action, people):
    police = make_user("agency_officer", agency_code="police")
    add_joint_agency(
        action=action, agency=agency("police"), reason="涉嫌收购赃物", actor=people["township"]
    )
    assert Notification.objects.filter(recipient=police).count() == 1
    remove_joint_agency(
        action=action, agency=agency("market"), reason="已办照", actor=people["commerce"]
    )
    assert {m.agency.code for m in action.members.all()} == {"fire", "police"}
    removed = JointActionAgency.history.filter(history_type="-").get()
    assert (removed.history_user, removed.history_change_reason) == (people["commerce"], "已办照")
    day = soon() + dt.timedelta(days=1)
    set_joint_action_inspection(action=action, on=day, actor=people["commerce"])
    titles = Notification.objects.filter(recipient=police).values_list("title", flat=True)
    assert any(day.isoformat() in title for title in titles)
    with pytest.raises(ValidationError):
        set_joint_action_inspection(
            action=action, on=timezone.localdate() - dt.timedelta(days=1), actor=people["commerce"]
        )


def test_the_last_agency_is_not_removed(built_up_site, people):
    action = assemble_joint_action(
        site=built_up_site, agencies=[agency("fire")], reason="消防", actor=people["commerce"]
    )
    with pytest.raises(ValidationError):
        remove_joint_agency(
            action=action, agency=agency("fire"), reason="r", actor=people["commerce"]
        )


def test_the_site_page_offers_assembling_only_to_whom_the_policy_allows(
    client, built_up_site, people
):
    url = reverse("inspections:site-joint-actions", args=[built_up_site.pk])
    for who, offered in [("commerce", True), ("township", True), ("fire", False)]:
        client.force_login(people[who])
        body = client.get(url).content.decode()
        assembling = reverse("inspections:site-joint-assemble", args=[built_up_site.pk])
        assert (assembling in body) is offered, who
    client.force_login(people["other township"])
    assert client.get(url).status_code == 404


def test_the_page_assembles_and_its_buttons_follow_the_policy(client, built_up_site, people):
    client.force_login(people["township"])
    response = client.post(
        reverse("inspections:site-joint-assemble", args=[built_up_site.pk]),
        {
            "agencies": [agency("fire").pk, agency("ecology").pk],
            "reason": "雨污混排并有消防隐患",
            "joint_inspection_on": soon().isoformat(),
        },
    )
    action = JointAction.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    close_url = reverse("inspections:joint-action-step", args=[action.pk, "close"])
    assert close_url in client.get(action.get_absolute_url()).content.decode()
    client.force_login(people["fire"])
    page = client.get(action.get_absolute_url()).content.decode()
    assert "雨污混排" in page and close_url not in page
    assert client.post(close_url, {"note": "越权"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "open"
    for who in ("market", "other township"):
        client.force_login(people[who])
        assert client.get(action.get_absolute_url()).status_code == 404
        assert client.post(close_url, {"note": "越权"}).status_code == 404


def test_the_api_assembles_steps_and_scopes_joint_actions(api_client, built_up_site, people):
    api_client.force_authenticate(people["fire"])
    body = {"site": built_up_site.pk, "agencies": [agency("fire").pk], "reason": "消防"}
    assert api_client.post("/api/v1/joint-actions/", body, format="json").status_code == 403
    api_client.force_authenticate(people["commerce"])
    created = api_client.post("/api/v1/joint-actions/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    # One agency: it cannot be removed (close the action instead).
    assert data["allowed_actions"] == ["add_agency", "set_joint_inspection", "close"]
    url = f"/api/v1/joint-actions/{data['id']}/"
    added = api_client.post(
        url + "add_agency/", {"agency": agency("market").pk, "reason": "无照"}, format="json"
    )
    assert added.status_code == 200, added.content
    assert {m["agency_name"] for m in added.json()["members"]} == {"县市场监管局", "县消防救援大队"}
    dated = api_client.post(
        url + "set_joint_inspection/", {"on": soon().isoformat()}, format="json"
    )
    assert dated.json()["joint_inspection_on"] == soon().isoformat()

    api_client.force_authenticate(people["market"])
    seen = api_client.get(url)
    assert seen.status_code == 200 and seen.json()["allowed_actions"] == []
    refused = api_client.post(url + "close/", {"note": "越权"}, format="json")
    assert refused.status_code == 403
    for who in ("ecology", "other township"):
        api_client.force_authenticate(people[who])
        assert api_client.get(url).status_code == 404
        assert api_client.get("/api/v1/joint-actions/").json()["count"] == 0


def test_the_inspection_that_follows_a_joint_action_records_it_on_both_pages(
    client, api_client, action, built_up_site, people
):
    before = file_inspection(site=built_up_site, inspector=people["township"], result="passed")
    # Filed while the action was open: it is the inspection that follows it.
    assert Inspection.objects.get(pk=before.pk).joint_action == action
    close_joint_action(action=action, note="已整改", actor=people["commerce"])
    after = file_inspection(site=built_up_site, inspector=people["township"], result="passed")
    assert after.joint_action is None  # the action is closed: an ordinary report

    # The agencies of the action see the report that followed it, even with nothing found.
    for who in ("township", "fire", "market"):
        client.force_login(people[who])
        report_page = client.get(before.get_absolute_url())
        assert report_page.status_code == 200, who
        assert action.get_absolute_url() in report_page.content.decode()
        action_page = client.get(action.get_absolute_url()).content.decode()
        assert before.get_absolute_url() in action_page
        assert after.get_absolute_url() not in action_page
    api_client.force_authenticate(people["fire"])
    assert api_client.get(f"/api/v1/inspections/{before.pk}/").json()["joint_action"] == action.pk
    # An agency outside the action sees neither.
    client.force_login(people["ecology"])
    assert client.get(before.get_absolute_url()).status_code == 404
    assert client.get(action.get_absolute_url()).status_code == 404


# The walk: state × person × action ---------------------------------------------------------


@pytest.fixture
def joint_people(request, fire_officer):
    return {
        **people_of_each_role(request),
        "present agency": fire_officer,
        "agency outside": make_user("agency_officer", agency_code="ecology"),
    }


@pytest.mark.parametrize("with_open_action", [False, True])
def test_the_site_policy_agrees_with_its_services(
    joint_people, built_up_site, fire_officer, with_open_action
):
    if with_open_action:
        assemble_joint_action(
            site=built_up_site,
            agencies=[agency("fire")],
            reason="消防隐患",
            actor=joint_people["commerce"],
        )

    def call(action, site, person):
        if action == SiteAction.FILE_JOINT_INSPECTION:
            return lambda: file_inspection(
                site=site, inspector=person, result="passed", present=[fire_officer]
            )
        return lambda: assemble_joint_action(
            site=site, agencies=[agency("market")], reason="无照经营", actor=person
        )

    found = disagreements(
        SITE_POLICY,
        load=lambda: Site.objects.get(pk=built_up_site.pk),
        people=joint_people,
        call=call,
    )
    assert found == []


@pytest.mark.parametrize("closed", [False, True])
def test_the_joint_action_policy_agrees_with_its_services(joint_people, built_up_site, closed):
    action = assemble_joint_action(
        site=built_up_site,
        agencies=[agency("fire"), agency("market")],
        reason="多部门反映",
        actor=joint_people["commerce"],
    )
    if closed:
        close_joint_action(action=action, note="已整改", actor=joint_people["commerce"])
    soon = timezone.localdate() + dt.timedelta(days=3)
    services = {
        JointActionStep.ADD_AGENCY: lambda a, p: add_joint_agency(
            action=a, agency=agency("police"), reason="涉嫌收赃", actor=p
        ),
        JointActionStep.REMOVE_AGENCY: lambda a, p: remove_joint_agency(
            action=a, agency=agency("market"), reason="已办照", actor=p
        ),
        JointActionStep.SET_JOINT_INSPECTION: lambda a, p: set_joint_action_inspection(
            action=a, on=soon, actor=p
        ),
        JointActionStep.CLOSE: lambda a, p: close_joint_action(action=a, note="完", actor=p),
    }

    def load():
        return JointAction.objects.prefetch_related("members").get(pk=action.pk)

    def call(step, obj, person):
        return lambda: services[step](obj, person)

    found = disagreements(JOINT_ACTION_POLICY, load=load, people=joint_people, call=call)
    assert found == []


@pytest.mark.parametrize("closed", [False, True])
def test_the_joint_action_api_agrees_with_the_policy_and_the_services(
    api_client, joint_people, built_up_site, closed
):
    """The same walk through /api/v1/joint-actions/: the API takes a step exactly when the
    service does, and refuses with the service's Chinese message (404 outside one's scope)."""
    from tests.policy_walk import api_disagreements

    action = assemble_joint_action(
        site=built_up_site,
        agencies=[agency("fire"), agency("market")],
        reason="多部门反映",
        actor=joint_people["commerce"],
    )
    if closed:
        close_joint_action(action=action, note="已整改", actor=joint_people["commerce"])
    url = f"/api/v1/joint-actions/{action.pk}/"
    requests = {
        JointActionStep.ADD_AGENCY: (
            {"agency": agency("police").pk, "reason": "涉嫌收赃"},
            lambda a, p: add_joint_agency(
                action=a, agency=agency("police"), reason="涉嫌收赃", actor=p
            ),
        ),
        JointActionStep.REMOVE_AGENCY: (
            {"agency": agency("market").pk, "reason": "已办照"},
            lambda a, p: remove_joint_agency(
                action=a, agency=agency("market"), reason="已办照", actor=p
            ),
        ),
        JointActionStep.SET_JOINT_INSPECTION: (
            {"on": soon().isoformat()},
            lambda a, p: set_joint_action_inspection(action=a, on=soon(), actor=p),
        ),
        JointActionStep.CLOSE: (
            {"note": "完"},
            lambda a, p: close_joint_action(action=a, note="完", actor=p),
        ),
    }
    # A role without the view permission on joint actions (the association) is refused by
    # the API before any joint action is read: DRF's 403, not a step's refusal.
    readers = {
        who: person
        for who, person in joint_people.items()
        if person.has_perm("inspections.view_jointaction")
    }
    assert set(joint_people) - set(readers) == {"association"}
    api_client.force_authenticate(joint_people["association"])
    assert api_client.get("/api/v1/joint-actions/").status_code == 403
    with translation.override("zh-hans"):
        found = api_disagreements(
            JOINT_ACTION_POLICY,
            load=lambda: JointAction.objects.prefetch_related("members").get(pk=action.pk),
            people=readers,
            call=lambda step, obj, person: lambda: requests[step][1](obj, person),
            request=lambda step, obj: ("post", f"{url}{step}/", requests[step][0]),
            client=api_client,
        )
    assert found == []
