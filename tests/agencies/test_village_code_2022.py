"""The sourced 2021→2022 village code change (马吉村委会 330523108202 → 330523108209) is applied
by load_anji, once, keeping the village's row and what points at it."""

import pytest

from agencies.models import Village
from agencies.reference import load_reference_data
from tests.factories import make_site

pytestmark = pytest.mark.django_db

OLD, NEW = "330523108202", "330523108209"


def test_the_loaded_list_has_maji_village_under_its_2022_code():
    assert Village.objects.filter(code=NEW, name="马吉村委会", is_active=True).exists()
    assert not Village.objects.filter(code=OLD).exists()
    assert Village.objects.filter(is_active=True).count() == 217


def test_a_database_loaded_with_the_2021_code_is_recoded_in_place_once(commerce_admin):
    village = Village.objects.get(code=NEW)
    village.code = OLD
    village.urban_rural_code, village.urban_rural_source = "220", "nbs2016"
    village.save()
    site = make_site(actor=commerce_admin, township_code="330523108", village=village)

    first = load_reference_data()
    village.refresh_from_db()
    site.refresh_from_db()
    assert village.code == NEW
    assert site.village_id == village.pk
    assert village.urban_rural_code == ""  # a 2016 code goes with the old code
    assert village.history.latest().history_change_reason == "load_anji"
    assert first.updated["villages"] >= 1
    assert Village.objects.filter(code__in=[OLD, NEW]).count() == 1

    history_count = village.history.count()
    second = load_reference_data()
    assert not second.changed
    village.refresh_from_db()
    assert village.code == NEW
    assert village.history.count() == history_count


def test_a_code_set_by_the_administrator_survives_the_recoding():
    village = Village.objects.get(code=NEW)
    village.code = OLD
    village.urban_rural_code, village.urban_rural_source = "210", "admin"
    village.save()
    load_reference_data()
    village.refresh_from_db()
    assert (village.code, village.urban_rural_code) == (NEW, "210")
