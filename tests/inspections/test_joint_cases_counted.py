"""A joint case (联合执法) counts for every agency in it: the lead and each assisting agency
find it in their case list, their ledger export and their dashboard's figures."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import Agency
from dashboards.periods import Period
from dashboards.selectors import dashboard_headlines
from inspections.choices import CaseStatus
from inspections.services import add_assisting_agency

from .conftest import report
from .test_case_policy import bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint_case(built_up_site, commerce_admin, dipu_officer, dipu_grid_worker, urban_officer):
    (case,) = report(built_up_site, dipu_grid_worker, "appearance")  # lead: 综合执法局
    people = {"commerce": commerce_admin, "township": dipu_officer, "lead": urban_officer}
    case = bring_to(case, CaseStatus.HANDLING, people)
    add_assisting_agency(
        case=case, agency=Agency.objects.get(code="market"), actor=commerce_admin, reason="无照"
    )
    return case


@pytest.mark.parametrize("who", ["lead", "assisting"])
def test_each_agency_of_a_joint_case_lists_exports_and_counts_it(
    client, joint_case, urban_officer, market_officer, fire_officer, who
):
    officer = urban_officer if who == "lead" else market_officer
    client.force_login(officer)
    listed = client.get(reverse("inspections:case-list")).content.decode()
    assert joint_case.number in listed
    response = client.get(reverse("inspections:case-ledger"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    # Below the title row and the header; each row starts with its 序号.
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()][2:]
    assert [row[1] for row in rows] == [joint_case.number]
    assert "市场监管局" in rows[0][10]  # the assisting agencies' column
    today = timezone.localdate()
    figures = dashboard_headlines(user=officer, period=Period.month_of(today), today=today)
    assert (figures.cases.reported, figures.cases.open) == (1, 1)
    # An agency outside the joint action neither lists nor counts it.
    outside = dashboard_headlines(user=fire_officer, period=Period.month_of(today), today=today)
    assert (outside.cases.reported, outside.cases.open) == (0, 0)
