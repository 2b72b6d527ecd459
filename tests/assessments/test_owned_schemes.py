"""The 美丽乡村长效管理 check (农业农村局) and the 生态文明建设 responsibility check (生态文明建设
督导组): schemes of their own from the portal's indicators, deductions by the owning agency's
assessors; the township page shows every scheme's result."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.choices import Role
from assessments.choices import IndicatorKind, PeriodKind
from assessments.models import AssessmentScheme
from assessments.services import compute_period, open_period, record_deduction
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def agriculture_assessor(db):
    return make_user(Role.ASSESSOR, agency_code="agriculture")


def period_of(code, actor):
    scheme = AssessmentScheme.objects.get(code=code, version=1)
    return open_period(scheme=scheme, kind=PeriodKind.QUARTER, year=2026, quarter=1, actor=actor)


def deduct(period, township, actor):
    return record_deduction(
        period=period,
        township=township,
        indicator=period.scheme.indicators.get(kind=IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal(2),
        reason="房前屋后乱堆放",
        actor=actor,
    )


@pytest.mark.parametrize(
    ("code", "owner"),
    [("beautiful-countryside", "agriculture"), ("eco-civilisation", "supervision")],
)
def test_each_check_has_its_own_scheme_of_100_points(code, owner):
    scheme = AssessmentScheme.objects.get(code=code, version=1)
    assert scheme.owner_agency_code == owner
    assert sum(i.weight for i in scheme.indicators.all()) == scheme.total_points == 100
    assert scheme.indicators.filter(kind=IndicatorKind.ASSESSOR_DEDUCTIONS).exists()


def test_only_the_owning_agencys_assessors_enter_deductions(
    commerce_admin, agriculture_assessor, assessor, dipu
):
    """`assessor` is the supervision group's."""
    countryside = period_of("beautiful-countryside", commerce_admin)
    eco = period_of("eco-civilisation", commerce_admin)
    default = period_of("long-term-management", commerce_admin)
    assert deduct(countryside, dipu, agriculture_assessor).points == 2
    with pytest.raises(PermissionDenied):
        deduct(countryside, dipu, assessor)
    with pytest.raises(PermissionDenied):
        deduct(eco, dipu, agriculture_assessor)
    deduct(eco, dipu, assessor)
    deduct(default, dipu, agriculture_assessor)
    deduct(default, dipu, assessor)


def test_the_township_page_shows_all_three_results(client, commerce_admin, dipu_officer, dipu):
    for code in ("long-term-management", "beautiful-countryside", "eco-civilisation"):
        compute_period(period=period_of(code, commerce_admin), actor=commerce_admin)
    client.force_login(dipu_officer)
    response = client.get(reverse("agencies:township-detail", args=[dipu.pk]))
    assert response.status_code == 200
    rows = response.context["results"]
    assert {row["scheme"].code for row in rows} == {
        "long-term-management",
        "beautiful-countryside",
        "eco-civilisation",
    }
    assert all(row["result"] is not None for row in rows)
    page = response.content.decode()
    assert "美丽乡村长效管理考核" in page
    assert "生态文明建设目标管理责任考核" in page
