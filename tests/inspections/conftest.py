import pytest

from agencies.models import ProblemCategory, Village
from inspections.services import FindingInput, file_inspection
from tests.factories import make_site, make_user


@pytest.fixture
def urban_officer(db):
    return make_user("agency_officer", agency_code="urban")


@pytest.fixture
def agriculture_officer(db):
    return make_user("agency_officer", agency_code="agriculture")


@pytest.fixture
def fire_officer(db):
    return make_user("agency_officer", agency_code="fire")


@pytest.fixture
def built_up_site(commerce_admin):
    """A collection point in 长乐社区 (urban-rural code 121: built-up), 递铺街道."""
    return make_site(actor=commerce_admin, village=Village.objects.get(code="330523001018"))


@pytest.fixture
def rural_site(commerce_admin):
    """A collection point in 余村 (code 220: rural), 天荒坪镇."""
    village = Village.objects.get(name="余村村委会")
    return make_site(actor=commerce_admin, township_code=village.township.code, village=village)


def category(code):
    return ProblemCategory.objects.get(code=code)


def report(site, inspector, *codes, serious=False, photos=()):
    """File a report on `site` with one finding per category code (each with `photos`);
    return the cases."""
    inspection = file_inspection(
        site=site,
        inspector=inspector,
        result="serious" if serious else "problems",
        findings=[
            FindingInput(category=category(c), description=f"发现{c}问题", photos=list(photos))
            for c in codes
        ],
    )
    return [finding.case for finding in inspection.findings.select_related("case")]
