"""The open mass-balance flags in the dashboard's JSON (/api/v1/dashboard/): counts per kind
and per township of the flagged site, scoped like the page, each linking to the 进出平衡 page
showing them.

The hand-built March of test_mass_balance: 递铺中转站 sent on 500 kg of paper more than it
received and held (over_forwarded) and its stock exceeds its capacity (over_capacity), both in
递铺街道; 昌硕网点 delivered nothing (idle_point), in 昌硕街道."""

import pytest
import time_machine
from django.core.cache import cache

from agencies.models import Township
from trade import services

from . import test_mass_balance
from .conftest import CHANGSHUO, DIPU
from .test_dashboard_flags import changshuo_officer  # noqa: F401 (a fixture)
from .test_mass_balance import MARCH, TODAY

pytestmark = pytest.mark.django_db
march = test_mass_balance.march

URL = "/api/v1/dashboard/"


def flags_of(api_client, user):
    cache.clear()
    api_client.force_authenticate(user)
    with time_machine.travel(TODAY, tick=False):
        response = api_client.get(URL)
    assert response.status_code == 200, response.content
    return response.json()["balance_flags"]


def per_township(flags):
    return {
        row["name"]: {kind["kind"]: kind["count"] for kind in row["by_kind"] if kind["count"]}
        for row in flags["by_township"]
    }


def test_the_county_sees_every_townships_flags(api_client, march, leader):
    flags = flags_of(api_client, leader)
    assert flags["month"] == "2026-03-01"
    assert flags["total"] == 3
    assert {row["kind"]: row["count"] for row in flags["by_kind"]} == {
        "over_forwarded": 1,
        "over_capacity": 1,
        "idle_point": 1,
    }
    dipu = Township.objects.get(code=DIPU)
    changshuo = Township.objects.get(code=CHANGSHUO)
    assert per_township(flags) == {
        dipu.name: {"over_forwarded": 1, "over_capacity": 1},
        changshuo.name: {"idle_point": 1},
    }
    row = next(row for row in flags["by_township"] if row["township_id"] == dipu.pk)
    assert row["total"] == 2
    assert row["url"] == f"/market/balance/?month=2026-03&open=true&township={dipu.pk}"


def test_a_township_sees_its_own_flags_only(api_client, march, dipu_officer, changshuo_officer):  # noqa: F811
    dipu_flags = flags_of(api_client, dipu_officer)
    assert dipu_flags["total"] == 2
    assert [row["township_id"] for row in dipu_flags["by_township"]] == [
        Township.objects.get(code=DIPU).pk
    ]
    changshuo_flags = flags_of(api_client, changshuo_officer)
    assert per_township(changshuo_flags) == {
        Township.objects.get(code=CHANGSHUO).name: {"idle_point": 1}
    }


def test_a_cleared_flag_leaves_the_counts(api_client, march, paper, dipu_officer):
    with time_machine.travel(TODAY, tick=False):
        services.clear_flag(
            site=march.dipu_station,
            month=MARCH,
            kind="over_forwarded",
            material=paper,
            explanation="2月底有未申报库存，已补报",
            actor=dipu_officer,
        )
    flags = flags_of(api_client, dipu_officer)
    assert per_township(flags) == {Township.objects.get(code=DIPU).name: {"over_capacity": 1}}


def test_the_township_link_lists_that_townships_flags(client, march, leader):
    dipu = Township.objects.get(code=DIPU)
    client.force_login(leader)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(f"/market/balance/?month=2026-03&open=true&township={dipu.pk}")
    assert {flag.site.township_id for flag in page.context["balance"].flags} == {dipu.pk}
    assert len(page.context["balance"].flags) == 2


def test_an_agency_officer_gets_no_flags(api_client, march, market_officer):
    api_client.force_authenticate(market_officer)
    with time_machine.travel(TODAY, tick=False):
        assert api_client.get(URL).json()["balance_flags"] is None
