"""Transfers go up the tiers along the registered links, between trading sites, with a real
weight and price; every refusal is a Chinese message on the field, and nothing is written."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sites.services import change_site_status
from trade import services
from trade.models import Transfer

from .conftest import deliver

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def chinese_and_today():
    with translation.override("zh-hans"), time_machine.travel(TODAY, tick=False):
        yield


def refusal(**kwargs) -> dict:
    before = Transfer.objects.count()
    with pytest.raises(ValidationError) as caught:
        deliver(**kwargs)
    assert Transfer.objects.count() == before
    return caught.value.message_dict


def test_a_point_delivers_to_its_station_with_the_amount_in_yuan(network, paper, dipu_officer):
    transfer = deliver(
        actor=dipu_officer,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        weight="1234.50",
        price="1480",
    )
    assert transfer.amount == Decimal("1827.06")  # 1.2345 t × 1480 元/吨
    assert transfer.entered_by == dipu_officer
    assert transfer.history.count() == 1
    assert transfer.history.get().history_user == dipu_officer


def test_a_station_delivers_to_the_centre(network, paper, dipu_officer):
    transfer = deliver(
        actor=dipu_officer, from_site=network.dipu_station, to_site=network.centre, material=paper
    )
    assert transfer.amount == Decimal("1500.00")


def test_a_point_may_not_skip_its_station(network, paper, commerce_admin):
    errors = refusal(
        actor=commerce_admin, from_site=network.dipu_point, to_site=network.centre, material=paper
    )
    assert errors["to_site"] == ["三级回收网点应交售至乡镇（街道）中转分拣站，而不是县级分拣中心。"]


def test_another_station_needs_a_reason(network, paper, commerce_admin):
    errors = refusal(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.cs_station,
        material=paper,
    )
    assert "原因" in errors["reason"][0]
    transfer = deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.cs_station,
        material=paper,
        reason="递铺中转站检修停收",
    )
    assert transfer.reason == "递铺中转站检修停收"


def test_a_banned_point_may_not_deliver(network, paper, commerce_admin):
    change_site_status(site=network.dipu_point, to="banned", actor=commerce_admin, reason="取缔")
    network.dipu_point.refresh_from_db()
    errors = refusal(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
    )
    assert errors["from_site"] == ["递铺网点已取缔，不能交售。"]


def test_a_station_that_is_not_operating_receives_nothing(network, paper, commerce_admin):
    change_site_status(
        site=network.dipu_station, to="suspended", actor=commerce_admin, reason="停业"
    )
    network.dipu_station.refresh_from_db()
    errors = refusal(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
    )
    assert errors["to_site"] == ["递铺中转站停业，只有运营中的站点可以收货。"]


@pytest.mark.parametrize("weight", ["0", "-5"])
def test_zero_or_negative_weight_is_refused(network, paper, commerce_admin, weight):
    errors = refusal(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        weight=weight,
    )
    assert errors["weight_kg"] == ["净重必须大于0公斤。"]


def test_a_price_of_zero_needs_a_reason(network, paper, commerce_admin):
    errors = refusal(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        price="0",
    )
    assert errors["reason"] == ["单价为0时须说明原因。"]
    free = deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        price="0",
        reason="公益回收，无偿交售",
    )
    assert free.amount == Decimal("0.00")


def test_a_date_in_the_future_is_refused(network, paper, commerce_admin):
    errors = refusal(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        on=dt.date(2026, 3, 21),
    )
    assert errors["transferred_on"] == ["日期不能晚于今天。"]


def test_a_material_the_station_does_not_handle_is_refused(network, commerce_admin):
    from sites.models import Material

    glass = Material.objects.get(code="glass")
    errors = refusal(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=glass,
    )
    assert errors["material"] == ["递铺中转站不回收废玻璃。"]


def test_a_grade_of_another_material_is_refused(network, paper, plastic, commerce_admin):
    from trade.models import MaterialGrade

    film = MaterialGrade.objects.get(material=plastic, name="塑料薄膜")
    errors = refusal(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        grade=film,
    )
    assert errors["grade"] == ["塑料薄膜不是废纸的品级。"]


def test_a_township_officer_records_only_for_its_own_sites(network, paper, dipu_officer):
    before = Transfer.objects.count()
    with pytest.raises(PermissionDenied):
        deliver(
            actor=dipu_officer,
            from_site=network.cs_point,
            to_site=network.cs_station,
            material=paper,
        )
    assert Transfer.objects.count() == before


def test_other_roles_record_no_transfers(network, paper, market_officer):
    with pytest.raises(PermissionDenied):
        deliver(
            actor=market_officer,
            from_site=network.dipu_point,
            to_site=network.dipu_station,
            material=paper,
        )


def test_a_correction_keeps_history_and_recomputes_the_amount(network, paper, dipu_officer):
    transfer = deliver(
        actor=dipu_officer,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
    )
    transfer.weight_kg = Decimal("2000")
    services.correct_transfer(transfer=transfer, actor=dipu_officer)
    transfer.refresh_from_db()
    assert transfer.amount == Decimal("3000.00")
    assert transfer.history.count() == 2
