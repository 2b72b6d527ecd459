"""The public selector: operating sites only, whitelisted fields, 张** for individuals."""

import datetime as dt
from decimal import Decimal

import pytest

from public import selectors

pytestmark = pytest.mark.django_db


def test_only_operating_sites_are_public(public_world):
    shown = {site["id"] for site in selectors.public_sites_page()["sites"]}
    assert shown == {site.pk for site in public_world.public_sites}
    for site in public_world.private_sites:
        assert selectors.public_site(pk=site.pk) is None


def test_an_individual_business_is_shown_by_surname_only(public_world):
    point = selectors.public_site(pk=public_world.public_sites[0].pk)
    assert point["operator_name"] == "李**"
    assert point["operator_kind"] == "个体工商户"
    assert point["licensed"] is True  # issued, no term


def test_an_enterprise_is_shown_by_its_registered_name_and_an_expired_licence_as_no(
    public_world,
):
    station = selectors.public_site(pk=public_world.public_sites[1].pk)
    assert station["operator_name"] == "安吉绿源再生资源有限公司"
    assert station["licensed"] is False  # ended 2020-12-31


def test_the_placeholder_without_a_name_says_individual_business():
    assert selectors.operator_placeholder("") == "个体工商户"
    assert selectors.operator_placeholder(" 欧阳娜娜 ") == "欧**"


def test_a_site_page_carries_the_boards_current_price_for_its_materials(public_world):
    point = selectors.public_site(pk=public_world.public_sites[0].pk)
    assert point["materials"] == ["废纸"]
    assert point["prices"] == [
        {
            "material": "废纸",
            "grade": "",
            "price": Decimal("1650.00"),
            "effective_from": dt.date(2025, 6, 1),
        }
    ]


def test_a_row_has_exactly_the_whitelisted_keys(public_world):
    (row, *_rest) = selectors.public_sites_page()["sites"]
    assert set(row) == {
        "id", "code", "name", "tier", "tier_label", "township", "village", "venue_type",
        "address", "opening_hours", "latitude", "longitude", "materials", "operator_name",
        "operator_kind", "licensed", "url",
    }  # fmt: skip


def test_search_matches_every_word_in_name_village_or_address(public_world):
    def names(query):
        return [site["name"] for site in selectors.public_sites_page(query=query)["sites"]]

    assert names("长乐") == ["长乐社区回收点"]
    assert names("递铺 中转") == ["递铺中转站"]
    assert names("不存在的村") == []
