"""The industry association's notices to operators, and publicity records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.choices import NotificationKind, Role
from accounts.models import Notification
from support.models import AssociationNotice, PublicityActivity
from support.selectors import publicity_by_township
from support.services import publish_notice, record_publicity
from tests.conftest import CHANGSHUO
from tests.factories import make_operator, make_user

pytestmark = pytest.mark.django_db


def notice(**fields):
    return AssociationNotice(
        kind=fields.pop("kind", "convention"),
        title=fields.pop("title", "再生资源行业自律公约"),
        body="各会员单位：\n请遵守自律公约。",
        **fields,
    )


@pytest.fixture
def operators(commerce_admin):
    return (
        make_operator(actor=commerce_admin, seed=61),
        make_operator(actor=commerce_admin, seed=62, township_code=CHANGSHUO),
    )


def test_a_notice_reaches_the_operators_page_and_their_townships_officers(
    client, association, operators, dipu_officer
):
    changshuo_officer = make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
    published = publish_notice(notice=notice(), operators=[operators[0]], actor=association)
    assert published.history.count() == 1
    note = Notification.objects.get(recipient=dipu_officer)
    assert note.kind == NotificationKind.ASSOCIATION_NOTICE
    assert not Notification.objects.filter(recipient=changshuo_officer).exists()
    client.force_login(dipu_officer)
    assert "再生资源行业自律公约" in client.get(operators[0].get_absolute_url()).content.decode()
    client.force_login(changshuo_officer)
    assert client.get(published.get_absolute_url()).status_code == 404


def test_a_notice_without_operators_goes_to_every_operator_of_the_county(association, operators):
    published = publish_notice(notice=notice(kind="training"), operators=[], actor=association)
    assert set(published.operators.all()) >= set(operators)


def test_a_notice_to_operators_of_another_county_is_refused(association, operators, settings):
    """The registry holds Anji's townships only (a database rule), so the portal is made to
    serve 长兴县 (330522) instead: Anji's operators are then another county's."""
    settings.PORTAL_COUNTY_CODE = "330522"
    with pytest.raises(ValidationError) as error:
        publish_notice(notice=notice(), operators=[operators[0]], actor=association)
    assert "其他县" in str(error.value)
    assert operators[0].name in str(error.value)
    assert not AssociationNotice.objects.exists()
    assert not Notification.objects.exists()


def test_only_the_association_and_the_commerce_bureau_publish(
    api_client, market_officer, dipu_officer, association, operators
):
    for outsider in (market_officer, dipu_officer):
        with pytest.raises(PermissionDenied):
            publish_notice(notice=notice(), operators=[operators[0]], actor=outsider)
    api_client.force_authenticate(association)
    body = {"kind": "training", "title": "分拣技能培训", "body": "时间：\n地点：", "operators": []}
    response = api_client.post("/api/v1/association-notices/", body, format="json")
    assert response.status_code == 201, response.json()
    api_client.force_authenticate(dipu_officer)
    response = api_client.post("/api/v1/association-notices/", body, format="json")
    assert response.status_code == 403
    assert AssociationNotice.objects.count() == 1


def test_the_page_publishes_to_the_chosen_operators(client, association, operators):
    client.force_login(association)
    response = client.post(
        reverse("support:notice-create"),
        {
            "kind": "convention",
            "title": "自律公约",
            "body": "第一条\n第二条",
            "published_on": "2026-03-02",
            "operators": [operators[1].pk],
        },
    )
    assert response.status_code == 302
    assert list(AssociationNotice.objects.get().operators.all()) == [operators[1]]


def test_publicity_is_recorded_by_townships_and_agencies_and_counted_per_township(
    client, dipu_officer, market_officer, association, dipu, changshuo
):
    def activity(township, form="offline", count=30):
        return PublicityActivity(
            held_on=dt.date(2026, 3, 1),
            township=township,
            form=form,
            topic="法规宣传",
            audience="经营户",
            audience_count=count,
        )

    record_publicity(activity=activity(dipu), actor=dipu_officer)
    record_publicity(activity=activity(dipu, "online", 200), actor=market_officer)
    record_publicity(activity=activity(changshuo), actor=market_officer)
    with pytest.raises(PermissionDenied):
        record_publicity(activity=activity(changshuo), actor=dipu_officer)
    with pytest.raises(PermissionDenied):
        record_publicity(activity=activity(dipu), actor=association)
    assert PublicityActivity.objects.get(form="online").agency.code == "market"
    rows = {row["township"]: row for row in publicity_by_township(user=market_officer)}
    assert (rows[dipu]["total"], rows[dipu]["online"], rows[dipu]["reached"]) == (2, 1, 230)
    assert rows[changshuo]["total"] == 1
    assert [row["township"] for row in publicity_by_township(user=dipu_officer)] == [dipu]
    client.force_login(dipu_officer)
    listed = client.get(reverse("support:publicity-list")).context["object_list"]
    assert {a.township for a in listed} == {dipu}
    client.force_login(association)
    assert client.get(reverse("support:publicity-list")).status_code == 200
    assert not PublicityActivity.objects.visible_to(association).exists()


def test_the_association_sees_who_received_each_notice_and_who_read_it(
    client, api_client, association, operators, dipu_officer, django_assert_max_num_queries
):
    changshuo_officer = make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
    published = publish_notice(notice=notice(), operators=list(operators), actor=association)
    client.force_login(dipu_officer)
    client.get(
        reverse(
            "accounts:notification-open", args=[Notification.objects.get(recipient=dipu_officer).pk]
        )
    )

    client.force_login(association)
    with django_assert_max_num_queries(16):
        page = client.get(published.get_absolute_url())
    recipients = page.context["recipients"]
    assert recipients["operators"] == sorted(operators, key=lambda op: (op.township.code, op.name))
    told = {d.recipient: d.read_at is not None for d in recipients["people"]}
    assert told == {dipu_officer: True, changshuo_officer: False}
    assert (recipients["people_count"], recipients["read_count"]) == (2, 1)
    html = page.content.decode()
    assert "谁收到了" in html and "尚未阅读" in html and str(changshuo_officer) in html

    api_client.force_authenticate(association)
    body = api_client.get(f"/api/v1/association-notices/{published.pk}/recipients/").json()
    assert {op["name"] for op in body["operators"]} == {op.name for op in operators}
    assert [(p["township"], p["read_at"] is not None) for p in body["people"]] == [
        ("递铺街道", True),
        ("昌硕街道", False),
    ]


def test_a_township_reads_the_notice_but_not_whom_else_it_went_to(
    client, api_client, association, operators, dipu_officer, market_officer
):
    make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
    published = publish_notice(notice=notice(), operators=list(operators), actor=association)
    for reader in (dipu_officer, market_officer):
        client.force_login(reader)
        page = client.get(published.get_absolute_url())
        assert page.status_code == 200
        assert page.context["recipients"] is None
        assert "谁收到了" not in page.content.decode()
        api_client.force_authenticate(reader)
        response = api_client.get(f"/api/v1/association-notices/{published.pk}/recipients/")
        assert response.status_code == 403
        assert "行业协会" in response.json()["detail"]
