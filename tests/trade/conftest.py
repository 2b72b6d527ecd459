"""A small market: the county sorting centre, a station and a point in 递铺 and in 昌硕, all
operating and handling paper and plastic."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from sites.models import Material
from tests.factories import make_site
from trade import services
from trade.models import Transfer

DIPU = "330523001"
CHANGSHUO = "330523002"


def add_materials(site, *codes):
    site.materials.set(Material.objects.filter(code__in=codes or ("paper", "plastic")))
    return site


@pytest.fixture
def network(commerce_admin):
    centre = add_materials(make_site(actor=commerce_admin, tier=1, name="县分拣中心"))
    dipu_station = add_materials(
        make_site(
            actor=commerce_admin,
            tier=2,
            name="递铺中转站",
            parent=centre,
            daily_capacity=Decimal("2.00"),
        )
    )
    dipu_point = add_materials(
        make_site(actor=commerce_admin, tier=3, name="递铺网点", parent=dipu_station)
    )
    cs_station = add_materials(
        make_site(
            actor=commerce_admin, tier=2, name="昌硕中转站", parent=centre, township_code=CHANGSHUO
        )
    )
    cs_point = add_materials(
        make_site(
            actor=commerce_admin,
            tier=3,
            name="昌硕网点",
            parent=cs_station,
            township_code=CHANGSHUO,
        )
    )
    return SimpleNamespace(
        centre=centre,
        dipu_station=dipu_station,
        dipu_point=dipu_point,
        cs_station=cs_station,
        cs_point=cs_point,
    )


@pytest.fixture
def paper(db):
    return Material.objects.get(code="paper")


@pytest.fixture
def plastic(db):
    return Material.objects.get(code="plastic")


def deliver(
    *,
    actor,
    from_site,
    to_site,
    material,
    weight="1000",
    price="1500",
    on=dt.date(2026, 3, 10),
    **fields,
):
    return services.record_transfer(
        transfer=Transfer(
            transferred_on=on,
            from_site=from_site,
            to_site=to_site,
            material=material,
            weight_kg=Decimal(weight),
            unit_price=Decimal(price),
            **fields,
        ),
        actor=actor,
    )
