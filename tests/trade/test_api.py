"""The market's API (/api/v1/): scoped like the pages, the same Chinese refusals, the policy's
allowed actions on each transfer, settlement through an action, and fixed query counts."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from sites.models import Material
from tests.factories import UserFactory
from trade.models import MaterialGrade, Transfer
from trade.services import save_grade

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def payload(network, paper, **changes):
    return {
        "transferred_on": "2026-03-19",
        "from_site": network.dipu_point.pk,
        "to_site": network.dipu_station.pk,
        "material": paper.pk,
        "weight_kg": "250.5",
        "unit_price": "1500",
        **changes,
    }


def test_a_station_records_a_receipt_through_the_api(api_client, network, paper, dipu_officer):
    api_client.force_authenticate(dipu_officer)
    response = api_client.post("/api/v1/transfers/", payload(network, paper), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount"] == "375.75"
    assert body["allowed_actions"] == ["correct"]
    assert Transfer.objects.get().entered_by == dipu_officer


def test_bad_input_gets_the_same_chinese_message(api_client, network, paper, dipu_officer):
    api_client.force_authenticate(dipu_officer)
    response = api_client.post(
        "/api/v1/transfers/",
        payload(network, paper, to_site=network.centre.pk),
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response.json()["to_site"] == [
        "三级回收网点应交售至乡镇（街道）中转分拣站，而不是县级分拣中心。"
    ]
    assert not Transfer.objects.exists()


def test_another_townships_transfers_are_invisible_and_unwritable(
    api_client, network, paper, commerce_admin, dipu_officer
):
    other = deliver(
        actor=commerce_admin, from_site=network.cs_point, to_site=network.cs_station, material=paper
    )
    own = deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
    )
    api_client.force_authenticate(dipu_officer)
    listing = api_client.get("/api/v1/transfers/").json()
    assert [row["id"] for row in listing["results"]] == [own.pk]
    assert api_client.get(f"/api/v1/transfers/{other.pk}/").status_code == 404
    assert (
        api_client.patch(
            f"/api/v1/transfers/{other.pk}/", {"weight_kg": "1"}, format="json"
        ).status_code
        == 404
    )
    created = api_client.post(
        "/api/v1/transfers/",
        payload(network, paper, from_site=network.cs_point.pk, to_site=network.cs_station.pk),
        format="json",
    )
    # Another township's site is not among the form's choices: refused as an invalid choice.
    assert created.status_code == 400
    assert "from_site" in created.json()
    assert Transfer.objects.count() == 2


def test_an_agency_officer_reads_but_records_nothing(api_client, network, paper, market_officer):
    api_client.force_authenticate(market_officer)
    assert api_client.get("/api/v1/transfers/").status_code == 200
    response = api_client.post("/api/v1/transfers/", payload(network, paper), format="json")
    assert response.status_code == 403


def test_everyone_with_a_role_reads_the_material_list_with_its_grades(
    api_client, paper, dipu_grid_worker, commerce_admin
):
    own = save_grade(grade=MaterialGrade(material=paper, name="测试纸"), actor=commerce_admin)
    api_client.force_authenticate(dipu_grid_worker)
    body = api_client.get("/api/v1/materials/").json()
    assert body["count"] == Material.objects.count() > 1
    row = next(row for row in body["results"] if row["id"] == paper.pk)
    assert row["code"] == "paper"
    assert set(row["grades"]) == set(paper.grades.values_list("pk", flat=True))
    assert own.pk in row["grades"]
    assert api_client.get(f"/api/v1/materials/{paper.pk}/").json()["name"] == paper.name
    # Read-only: not even the commerce bureau changes the list through this resource.
    api_client.force_authenticate(commerce_admin)
    assert api_client.post("/api/v1/materials/", {"code": "x", "name": "x"}).status_code == 405


def test_a_user_without_a_role_reads_no_materials(api_client, paper):
    roleless = UserFactory()
    roleless.save()
    api_client.force_authenticate(roleless)
    assert api_client.get("/api/v1/materials/").status_code == 403
    assert api_client.get(f"/api/v1/materials/{paper.pk}/").status_code == 403
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/materials/").status_code in (401, 403)


def test_settling_through_the_api_refuses_a_second_time(api_client, network, paper, dipu_officer):
    transfer = deliver(
        actor=dipu_officer,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
    )
    api_client.force_authenticate(dipu_officer)
    body = {
        "payer": network.dipu_station.pk,
        "payee": network.dipu_point.pk,
        "period_start": "2026-03-01",
        "period_end": "2026-03-31",
        "transfers": [transfer.pk],
    }
    first = api_client.post("/api/v1/settlements/", body, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["amount"] == "1500.00"
    again = api_client.post(
        "/api/v1/settlements/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert again.status_code == 400
    assert "已结算" in again.json()["transfers"][0]
    paid = api_client.post(
        f"/api/v1/settlements/{first.json()['id']}/pay/", {"paid_on": "2026-03-20"}, format="json"
    )
    assert paid.json()["status"] == "paid"


def test_the_balance_endpoint_answers_for_the_month(api_client, network, paper, commerce_admin):
    deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        weight="100",
    )
    deliver(
        actor=commerce_admin,
        from_site=network.dipu_station,
        to_site=network.centre,
        material=paper,
        weight="300",
    )
    api_client.force_authenticate(commerce_admin)
    body = api_client.get("/api/v1/balance/", {"month": "2026-03"}).json()
    assert body["month"] == "2026-03-01"
    kinds = {(flag["kind"], flag["site"]) for flag in body["flags"]}
    assert ("over_forwarded", network.dipu_station.pk) in kinds
    assert api_client.get("/api/v1/balance/", {"month": "2026-13"}).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/transfers/",
        "/api/v1/prices/",
        "/api/v1/settlements/",
        "/api/v1/shipments/",
        "/api/v1/material-grades/",
        "/api/v1/materials/",
        "/api/v1/stock-declarations/",
    ],
)
def test_lists_run_a_fixed_number_of_queries(
    api_client, network, paper, commerce_admin, url, django_assert_max_num_queries
):
    for day in range(1, 15):
        deliver(
            actor=commerce_admin,
            from_site=network.dipu_point,
            to_site=network.dipu_station,
            material=paper,
            on=dt.date(2026, 3, day),
            price=str(Decimal(1500 + day)),
        )
    api_client.force_authenticate(commerce_admin)
    with django_assert_max_num_queries(8):
        assert api_client.get(url).status_code == 200


def test_the_weighbridge_ticket_is_written_and_read_and_once_per_receiving_site(
    api_client, network, paper, dipu_officer, commerce_admin
):
    api_client.force_authenticate(dipu_officer)
    first = api_client.post(
        "/api/v1/transfers/",
        payload(network, paper, weighbridge_ticket=" BD-0001 "),
        format="json",
    )
    assert first.status_code == 201, first.json()
    assert first.json()["weighbridge_ticket"] == "BD-0001"
    assert Transfer.objects.get().weighbridge_ticket == "BD-0001"
    assert (
        api_client.get(f"/api/v1/transfers/{first.json()['id']}/").json()["weighbridge_ticket"]
        == "BD-0001"
    )

    again = api_client.post(
        "/api/v1/transfers/",
        payload(network, paper, weighbridge_ticket="BD-0001", weight_kg="80"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert again.status_code == 400
    assert again.json()["weighbridge_ticket"] == ["递铺中转站已登记过磅单号 BD-0001。"]
    assert Transfer.objects.count() == 1

    # Another receiving site may have a ticket of the same number.
    api_client.force_authenticate(commerce_admin)
    elsewhere = api_client.post(
        "/api/v1/transfers/",
        payload(
            network,
            paper,
            from_site=network.cs_point.pk,
            to_site=network.cs_station.pk,
            weighbridge_ticket="BD-0001",
        ),
        format="json",
    )
    assert elsewhere.status_code == 201, elsewhere.json()

    # Correcting a transfer to another transfer's ticket is refused the same way.
    api_client.force_authenticate(dipu_officer)
    second = api_client.post(
        "/api/v1/transfers/",
        payload(network, paper, weighbridge_ticket="BD-0002"),
        format="json",
    ).json()
    clash = api_client.patch(
        f"/api/v1/transfers/{second['id']}/",
        {"weighbridge_ticket": "BD-0001"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert clash.status_code == 400
    assert clash.json()["weighbridge_ticket"] == ["递铺中转站已登记过磅单号 BD-0001。"]
    assert Transfer.objects.get(pk=second["id"]).weighbridge_ticket == "BD-0002"
