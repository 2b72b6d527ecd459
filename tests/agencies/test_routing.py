import pytest

from agencies.choices import AreaKind
from agencies.models import DutyRule, ProblemCategory, Township, Village
from agencies.routing import NoDutyRule, area_kind, route

pytestmark = pytest.mark.django_db

TOWNSHIP = None  # the lead is the site's township

# The annex as a table: (category, area, lead agency code or TOWNSHIP).
ANNEX = [
    ("illegal_land_use", AreaKind.BUILT_UP, "planning"),
    ("illegal_land_use", AreaKind.RURAL, "planning"),
    ("pollution", AreaKind.BUILT_UP, "ecology"),
    ("pollution", AreaKind.RURAL, "ecology"),
    ("unlicensed", AreaKind.BUILT_UP, "market"),
    ("unlicensed", AreaKind.RURAL, "market"),
    ("special_equipment", AreaKind.BUILT_UP, "market"),
    ("special_equipment", AreaKind.RURAL, "market"),
    ("fire_hazard", AreaKind.BUILT_UP, "fire"),
    ("fire_hazard", AreaKind.RURAL, "fire"),
    ("appearance", AreaKind.BUILT_UP, "urban"),
    ("appearance", AreaKind.RURAL, "agriculture"),
    ("public_order", AreaKind.BUILT_UP, "police"),
    ("public_order", AreaKind.RURAL, "police"),
    ("illegal_building", AreaKind.BUILT_UP, TOWNSHIP),
    ("illegal_building", AreaKind.RURAL, TOWNSHIP),
    ("poor_management", AreaKind.BUILT_UP, TOWNSHIP),
    ("poor_management", AreaKind.RURAL, TOWNSHIP),
]


def _village(area):
    if area == AreaKind.BUILT_UP:
        return Village.objects.get(code="330523001018")
    return Village.objects.get(name="余村村委会")


@pytest.mark.parametrize(("category", "area", "lead"), ANNEX)
def test_duty_table_routes_as_the_annex_says(category, area, lead):
    village = _village(area)

    routing = route(
        category=ProblemCategory.objects.get(code=category),
        township=village.township,
        village=village,
    )

    assert routing.area == area
    assert routing.township == village.township
    if lead is TOWNSHIP:
        assert routing.lead_agency is None
        assert routing.lead_label == village.township.name
    else:
        assert routing.lead_agency.code == lead
    assert routing.rule.category.code == category


def test_piling_in_a_village_coded_220_goes_to_the_agriculture_bureau():
    village = Village.objects.get(name="余村村委会")
    assert village.urban_rural_code == "220"
    routing = route(
        category=ProblemCategory.objects.get(code="appearance"),
        township=village.township,
        village=village,
    )
    assert routing.lead_agency.code == "agriculture"


def test_piling_in_a_community_coded_121_goes_to_the_enforcement_bureau():
    village = Village.objects.get(code="330523001018")
    assert village.urban_rural_code == "121"
    routing = route(
        category=ProblemCategory.objects.get(code="appearance"),
        township=village.township,
        village=village,
    )
    assert routing.lead_agency.code == "urban"


@pytest.mark.parametrize(
    ("township_code", "expected"),
    [
        ("330523001", AreaKind.BUILT_UP),
        ("330523105", AreaKind.RURAL),
        ("330523201", AreaKind.RURAL),
    ],
)
def test_village_without_code_is_judged_by_its_township(township_code, expected):
    township = Township.objects.get(code=township_code)
    village = Village(code=f"{township_code}999", township=township, urban_rural_code="")
    assert area_kind(township=township, village=village) == expected
    assert area_kind(township=township) == expected


def test_no_rule_in_force_is_a_clear_error():
    category = ProblemCategory.objects.get(code="fire_hazard")
    DutyRule.objects.filter(category=category).update(is_active=False)
    village = Village.objects.get(name="余村村委会")

    with pytest.raises(NoDutyRule, match="消防隐患|fire"):
        route(category=category, township=village.township, village=village)


def test_an_area_specific_rule_wins_over_an_any_area_rule(commerce_admin):
    from agencies.models import Agency
    from agencies.services import save_duty_rule

    category = ProblemCategory.objects.get(code="pollution")
    rule = DutyRule.objects.get(category=category)
    rule.area = "built_up"
    save_duty_rule(rule=rule, actor=commerce_admin)
    rural = DutyRule(
        category=category, area="rural", lead_agency=Agency.objects.get(code="agriculture")
    )
    save_duty_rule(rule=rural, actor=commerce_admin)
    village = Village.objects.get(name="余村村委会")

    routing = route(category=category, township=village.township, village=village)

    assert routing.lead_agency.code == "agriculture"
