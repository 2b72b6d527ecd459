"""Open mass-balance flags on the township's and the county's dashboards: the count per kind of
last month's flags not cleared yet, each linking to the 进出平衡 page showing them.

The hand-built March of test_mass_balance: 递铺中转站 sent on 500 kg of paper more than it
received and held, and its stock exceeds its capacity; 昌硕网点 delivered nothing."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from tests.factories import make_user
from trade import services
from trade.balance import monthly_balance, open_flag_counts

from . import test_mass_balance
from .conftest import CHANGSHUO
from .test_mass_balance import MARCH, TODAY

pytestmark = pytest.mark.django_db
march = test_mass_balance.march  # the hand-built March, as a fixture here too


def flag_card(client, user):
    """The dashboard's flag card as {kind: (count, link)}, and its total."""
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        html = client.get(reverse("dashboards:dashboard")).content.decode()
    card = re.search(r'<div class="card[^"]*" data-figure="balance-flags">(.*?)</div>', html, re.S)
    assert card, "no flag card"
    total = re.search(r'class="figure" href="[^"]*">(\d+)</a>', card.group(1)).group(1)
    kinds = {
        kind: (int(count), href.replace("&amp;", "&"))
        for href, kind, count in re.findall(
            r'<a class="detail" href="([^"]*)" data-flag-kind="(\w+)">[^<]*: (\d+)</a>',
            card.group(1),
        )
    }
    return int(total), kinds


@pytest.fixture
def changshuo_officer(db):
    return make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)


def test_a_flag_shows_on_its_townships_and_the_countys_dashboard_only(
    client, march, leader, dipu_officer, changshuo_officer
):
    assert flag_card(client, leader) == (
        3,
        {
            "over_forwarded": (1, "/market/balance/?month=2026-03&open=true&kind=over_forwarded"),
            "idle_point": (1, "/market/balance/?month=2026-03&open=true&kind=idle_point"),
            "over_capacity": (1, "/market/balance/?month=2026-03&open=true&kind=over_capacity"),
        },
    )
    dipu_total, dipu = flag_card(client, dipu_officer)
    assert (dipu_total, dipu["over_forwarded"][0], dipu["over_capacity"][0]) == (2, 1, 1)
    assert dipu["idle_point"][0] == 0
    changshuo_total, changshuo = flag_card(client, changshuo_officer)
    assert (changshuo_total, changshuo["idle_point"][0]) == (1, 1)
    assert changshuo["over_forwarded"][0] == changshuo["over_capacity"][0] == 0


def test_the_cards_link_lists_the_flags_of_that_kind(client, march, dipu_officer):
    _total, kinds = flag_card(client, dipu_officer)
    client.force_login(dipu_officer)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(kinds["over_forwarded"][1])
    assert [(flag.kind, flag.site) for flag in page.context["balance"].flags] == [
        ("over_forwarded", march.dipu_station)
    ]


def test_a_cleared_flag_leaves_the_card_at_once(client, march, paper, dipu_officer):
    assert flag_card(client, dipu_officer)[1]["over_forwarded"][0] == 1  # now in the cache
    with time_machine.travel(TODAY, tick=False):
        services.clear_flag(
            site=march.dipu_station,
            month=MARCH,
            kind="over_forwarded",
            material=paper,
            explanation="2月底有未申报库存，已补报",
            actor=dipu_officer,
        )
    total, kinds = flag_card(client, dipu_officer)
    assert (total, kinds["over_forwarded"][0], kinds["over_capacity"][0]) == (1, 0, 1)
    client.force_login(dipu_officer)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(kinds["over_forwarded"][1])
    assert page.context["balance"].flags == []


@pytest.mark.parametrize("who", ["commerce_admin", "dipu_officer", "changshuo_officer"])
def test_the_count_is_the_balance_pages_open_flags_in_one_query(
    request, march, who, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    flags = monthly_balance(user=user, month=MARCH).flags
    expected = {kind: 0 for kind in ("over_forwarded", "over_capacity", "idle_point")}
    for flag in flags:
        expected[flag.kind] += flag.clearance is None
    with django_assert_num_queries(1):
        assert open_flag_counts(user=user, month=MARCH) == expected


def test_other_months_count_nothing(march, commerce_admin):
    # February: the station sent nothing on, and its 500 kg of stock is within capacity.
    counts = open_flag_counts(user=commerce_admin, month=dt.date(2026, 2, 1))
    assert counts["over_forwarded"] == counts["over_capacity"] == 0


def flag_sheet(client, user):
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("dashboards:meeting-pack"), {"period": "2026-03"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    title, header, *rows = book["进出平衡异常"].iter_rows(values_only=True)
    cover = {row[0]: row[1] for row in book["封面"].iter_rows(values_only=True) if row[0]}
    return title[0], header, [row[1:] for row in rows], cover["2026-03 待核实的进出平衡异常"]


def test_the_meeting_pack_lists_the_open_flags_with_their_figures(
    client, march, leader, dipu_officer, changshuo_officer
):
    title, header, rows, on_cover = flag_sheet(client, leader)
    assert title.startswith("2026-03 待核实的进出平衡异常")
    assert header == (
        "序号",
        "站点编号",
        "站点",
        "乡镇（街道）",
        "异常",
        "回收品类",
        "月份",
        "数据",
    )
    station, point = march.dipu_station, march.cs_point
    assert rows == (
        [
            (
                station.code,
                "递铺中转站",
                "递铺街道",
                "发出量超过收货量与库存",
                "废纸",
                "2026-03",
                "收货 3000.00 公斤 + 期初库存 500.00 公斤；交售 4000.00 公斤 + 出库 0 公斤："
                "多发出 500.00 公斤",
            ),
            (
                station.code,
                "递铺中转站",
                "递铺街道",
                "库存超过申报能力",
                None,
                "2026-03",
                "库存 15000.00 公斤，能力 14000.00 公斤",
            ),
            (
                point.code,
                "昌硕网点",
                "昌硕街道",
                "运营中网点长期未交售",
                None,
                "2026-03",
                "近 4 周没有交售",
            ),
        ]
    )
    assert on_cover == 3
    _title, _header, dipu_rows, dipu_cover = flag_sheet(client, dipu_officer)
    assert {row[0] for row in dipu_rows} == {station.code} and dipu_cover == 2
    _title, _header, cs_rows, cs_cover = flag_sheet(client, changshuo_officer)
    assert [row[0] for row in cs_rows] == [point.code] and cs_cover == 1
