from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from agencies.choices import UrbanRuralSource
from agencies.models import (
    Agency,
    AgencyDuty,
    DutyRule,
    LeadingGroupMembership,
    LeadingGroupPost,
    ProblemCategory,
    Township,
    Village,
)
from agencies.reference import current_village_rows, load_reference_data

pytestmark = pytest.mark.django_db

EXPECTED = {
    "townships": 15,
    "villages": 217,  # 216 in the NBS 2021 list, 10 codes reassigned in 2023, 长合社区 added
    "agencies": 13,  # the county government office and the twelve agencies of the annex
    "duties": 13,  # twelve agencies' duties and the townships' duty
    "problem categories": 10,  # the annex's nine and the co-op's centre and markets
    "duty rules": 11,  # piling is split into built-up and rural
    "leading-group posts": 31,  # leader, 2 deputies, 12 agency members, 15 townships, office
}


def _empty_organisation():
    from inspections.models import ChecklistItem

    ChecklistItem.objects.all().delete()
    LeadingGroupMembership.objects.all().delete()
    LeadingGroupPost.objects.all().delete()
    DutyRule.objects.all().delete()
    ProblemCategory.objects.all().delete()
    AgencyDuty.objects.all().delete()
    Agency.objects.all().delete()
    Village.objects.all().delete()
    Township.objects.all().delete()


def test_loader_creates_exactly_what_the_files_hold():
    _empty_organisation()

    report = load_reference_data()

    assert dict(report.created) == EXPECTED
    assert Township.objects.count() == 15
    assert Village.objects.filter(is_active=True).count() == 217
    assert Agency.objects.count() == 13
    assert LeadingGroupPost.objects.count() == 31


def test_second_run_changes_nothing_and_says_so(capsys):
    history_before = Village.history.count() + DutyRule.history.count()

    with translation.override("en"):
        call_command("load_anji")

    out = capsys.readouterr().out
    assert "already up to date" in out
    assert "villages and communities: 0 created, 0 updated, 217 unchanged" in out
    assert Village.history.count() + DutyRule.history.count() == history_before


def test_2023_changes_are_applied():
    codes = {row["code"] for row in current_village_rows()}
    assert "330523001205" in codes  # 康山 after reassignment
    assert "330523001227" not in codes  # 康山's 2021 code
    assert Village.objects.get(code="330523111003").name == "长合社区"
    assert not Village.objects.filter(code="330523001227").exists()


def test_urban_rural_codes_come_from_2016_only_where_the_village_is_unchanged():
    changchang = Village.objects.get(code="330523001018")  # 长乐社区居委会, 121 in 2016
    assert changchang.urban_rural_code == "121"
    assert changchang.urban_rural_source == UrbanRuralSource.NBS_2016
    kangshan = Village.objects.get(code="330523001205")  # code reassigned in 2023
    assert kangshan.urban_rural_code == ""
    sanguan = Village.objects.get(code="330523001206")
    assert sanguan.urban_rural_code == ""


def test_loader_keeps_a_code_an_administrator_set(commerce_admin):
    from agencies.services import save_village

    village = Village.objects.get(code="330523001018")
    village.urban_rural_code = "122"
    save_village(village=village, actor=commerce_admin)

    load_reference_data()

    village.refresh_from_db()
    assert village.urban_rural_code == "122"
    assert village.urban_rural_source == UrbanRuralSource.ADMIN


def test_coordinates_are_converted_from_gcj02_to_wgs84():
    dipu = Township.objects.get(code="330523001")
    # The file holds the Amap (GCJ-02) point 30.631837, 119.686617; WGS-84 lies ~0.003° away.
    assert dipu.latitude == Decimal("30.634281")
    assert dipu.longitude == Decimal("119.681732")
    for township in Township.objects.all():
        assert Decimal("30.2") < township.latitude < Decimal("30.9")
        assert Decimal("119.2") < township.longitude < Decimal("119.9")


def test_short_names_and_kinds():
    assert Village.objects.get(code="330523001018").short_name == "长乐社区"
    yucun = Village.objects.get(name="余村村委会")
    assert yucun.short_name == "余村"
    assert yucun.kind == "village"
