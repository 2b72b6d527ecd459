"""Subsidies, awards and land support: who records them, what is refused, who sees them on the
operator's page, in the API and in the county summary."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.choices import Role
from support.models import LandSupportCase, Subsidy
from support.selectors import support_summary
from support.services import save_land_support, save_subsidy
from tests.conftest import CHANGSHUO
from tests.factories import make_land_support, make_operator, make_site, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_officer(db):
    return make_user(Role.AGENCY_OFFICER, agency_code="finance")


@pytest.fixture
def planning_officer(db):
    return make_user(Role.AGENCY_OFFICER, agency_code="planning")


@pytest.fixture
def operators(commerce_admin):
    return (
        make_operator(actor=commerce_admin, seed=31),
        make_operator(actor=commerce_admin, seed=32, township_code=CHANGSHUO),
    )


def grant(operator, actor, *, amount="50000.00", on=dt.date(2025, 6, 1), kind="subsidy", **kw):
    values = {
        "operator": operator,
        "kind": kind,
        "basis_document": "安财企〔2025〕12号",
        "amount": Decimal(amount),
        "granted_on": on,
        "purpose": "中转站建设补助",
        **kw,
    }
    return save_subsidy(subsidy=Subsidy(**values), actor=actor)


def test_finance_bureau_records_a_subsidy_with_history(finance_officer, operators):
    subsidy = grant(operators[0], finance_officer)
    assert subsidy.granted_by.code == "finance"
    assert subsidy.recorded_by == finance_officer
    assert subsidy.history.get().history_user == finance_officer


def test_a_subsidy_without_a_basis_document_is_refused(finance_officer, operators):
    with pytest.raises(ValidationError) as error:
        grant(operators[0], finance_officer, basis_document="  ")
    assert "文号" in str(error.value)
    assert not Subsidy.objects.exists()


def test_a_negative_amount_is_refused(finance_officer, operators):
    with pytest.raises(ValidationError) as error:
        grant(operators[0], finance_officer, amount="-100")
    assert "大于0" in str(error.value)
    assert not Subsidy.objects.exists()


def test_only_the_finance_and_commerce_bureaus_record_subsidies(
    market_officer, dipu_officer, operators, commerce_admin
):
    for outsider in (market_officer, dipu_officer):
        with pytest.raises(PermissionDenied):
            grant(operators[0], outsider)
    assert grant(operators[0], commerce_admin).granted_by.code == "commerce"


def test_the_api_refuses_bad_input_in_chinese_and_saves_nothing(
    api_client, finance_officer, market_officer, operators
):
    api_client.force_authenticate(finance_officer)
    body = {
        "operator": operators[0].pk,
        "kind": "subsidy",
        "basis_document": "安财企〔2025〕12号",
        "amount": "-5.00",
        "granted_on": "2025-06-01",
        "purpose": "建设补助",
    }
    response = api_client.post("/api/v1/subsidies/", body, format="json")
    assert response.status_code == 400
    assert "0" in str(response.json())
    response = api_client.post("/api/v1/subsidies/", {**body, "amount": "10.00"}, format="json")
    assert response.status_code == 201, response.json()
    api_client.force_authenticate(market_officer)
    response = api_client.post("/api/v1/subsidies/", {**body, "amount": "10.00"}, format="json")
    assert response.status_code == 403
    assert Subsidy.objects.count() == 1


def test_the_page_form_refuses_a_negative_amount(client, finance_officer, operators):
    client.force_login(finance_officer)
    response = client.post(
        reverse("support:subsidy-create"),
        {
            "operator": operators[0].pk,
            "kind": "award",
            "basis_document": "安商〔2025〕3号",
            "amount": "-1",
            "granted_on": "2025-06-01",
            "purpose": "龙头企业奖励",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Subsidy.objects.exists()


def test_the_operator_page_shows_the_support_to_its_township_only(
    client, finance_officer, planning_officer, dipu_officer, operators, commerce_admin
):
    grant(operators[0], finance_officer, amount="12345.60")
    site = make_site(actor=commerce_admin, operator=operators[0])
    save_land_support(
        case=LandSupportCase(
            site=site,
            kind="existing_plant",
            request="利用存量厂房",
            requested_on=dt.date(2025, 3, 1),
            area=Decimal("800"),
        ),
        actor=planning_officer,
    )
    client.force_login(dipu_officer)
    page = client.get(operators[0].get_absolute_url()).content.decode()
    assert "12345.60" in page
    assert "800" in page
    changshuo_officer = make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
    client.force_login(changshuo_officer)
    assert not list(client.get(reverse("support:subsidy-list")).context["object_list"])
    subsidy = Subsidy.objects.get()
    assert client.get(subsidy.get_absolute_url()).status_code == 404


def test_land_support_is_the_planning_bureaus(planning_officer, finance_officer, commerce_admin):
    site = make_site(actor=commerce_admin)
    case = LandSupportCase(
        site=site,
        kind="new_allocation",
        request="新建中转站用地",
        requested_on=dt.date(2025, 3, 1),
        area=Decimal("1200"),
        decision="approved",
    )
    with pytest.raises(ValidationError):  # a decision without its date
        save_land_support(case=case, actor=planning_officer)
    case.decided_on = dt.date(2025, 5, 1)
    with pytest.raises(PermissionDenied):
        save_land_support(case=case, actor=finance_officer)
    save_land_support(case=case, actor=planning_officer)
    assert case.history.count() == 1


def test_summary_by_year_and_township_worked_by_hand(
    client, finance_officer, planning_officer, commerce_admin, operators, dipu, changshuo
):
    dipu_operator, changshuo_operator = operators
    grant(dipu_operator, finance_officer, amount="10000.00", on=dt.date(2025, 3, 1))
    grant(dipu_operator, finance_officer, amount="2500.50", on=dt.date(2025, 9, 1), kind="award")
    grant(dipu_operator, finance_officer, amount="700.00", on=dt.date(2024, 12, 31))
    grant(changshuo_operator, finance_officer, amount="3000.00", on=dt.date(2025, 1, 2))
    site = make_site(actor=commerce_admin, operator=dipu_operator)
    for area, decision, decided in (
        ("500", "approved", dt.date(2025, 4, 1)),
        ("300", "pending", None),
    ):
        save_land_support(
            case=LandSupportCase(
                site=site,
                kind="existing_plant",
                request="用地",
                requested_on=dt.date(2025, 2, 1),
                area=Decimal(area),
                decision=decision,
                decided_on=decided,
            ),
            actor=planning_officer,
        )
    rows = {(r["year"], r["township"].code): r for r in support_summary(user=commerce_admin)}
    dipu_2025 = rows[(2025, dipu.code)]
    assert (dipu_2025["subsidies"], dipu_2025["subsidy_amount"]) == (1, Decimal("10000.00"))
    assert (dipu_2025["awards"], dipu_2025["award_amount"]) == (1, Decimal("2500.50"))
    assert dipu_2025["total_amount"] == Decimal("12500.50")
    assert (dipu_2025["land_cases"], dipu_2025["land_pending"]) == (1, 1)
    assert dipu_2025["approved_area"] == Decimal("500.0")
    assert rows[(2024, dipu.code)]["total_amount"] == Decimal("700.00")
    assert rows[(2025, changshuo.code)]["total_amount"] == Decimal("3000.00")
    # A township officer's summary is their own township's.
    dipu_officer = make_user(Role.TOWNSHIP_OFFICER, township_code=dipu.code)
    assert {r["township"] for r in support_summary(user=dipu_officer)} == {dipu}

    client.force_login(commerce_admin)
    response = client.get(reverse("support:summary-export"), {"year": 2025})
    content = b"".join(getattr(response, "streaming_content", [])) or response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value.startswith("2025年扶持情况汇总（安吉县） 截至 ")
    assert sheet["A2"].value == "序号"
    numbered = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in numbered] == [1, 2]
    values = [row[1:] for row in numbered]
    assert [(row[0], row[1], row[6]) for row in values] == [
        (2025, "递铺街道", 12500.5),
        (2025, "昌硕街道", 3000),
    ]


def test_a_case_under_review_is_not_an_approved_area_of_0(
    client, planning_officer, commerce_admin, dipu
):
    """昌硕 asked for land in 2026 and the bureau has not decided: the summary reads 待定 and
    counts no decided case, on the page and in the workbook; nothing reads 批准面积 0."""
    site = make_site(actor=commerce_admin, township_code=CHANGSHUO)
    make_land_support(
        actor=planning_officer, site=site, requested_on=dt.date(2026, 2, 1), area=Decimal("800")
    )
    [row] = support_summary(user=commerce_admin)
    assert (row["land_cases"], row["land_pending"], row["approved_area"]) == (0, 1, None)
    client.force_login(commerce_admin)
    page = client.get(reverse("support:summary")).content.decode()
    cells = page.split('<td class="number">')[-3:]
    assert [cell.split("</td>")[0] for cell in cells[:2]] == ["0", "1"]
    assert "待定" in cells[2] and "800" not in cells[2]
    response = client.get(reverse("support:summary-export"))
    content = b"".join(getattr(response, "streaming_content", [])) or response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    [values] = list(sheet.iter_rows(min_row=3, values_only=True))
    assert values[0] == 1  # 序号
    assert values[9:] == (0, 1, 0, "待定")


def test_lists_and_summary_run_a_fixed_number_of_queries(
    client, finance_officer, commerce_admin, operators, django_assert_max_num_queries
):
    for n in range(6):
        grant(operators[n % 2], finance_officer, amount=f"{100 + n}.00")
    client.force_login(commerce_admin)
    for name in ("support:subsidy-list", "support:land-list", "support:summary"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(operators[0].get_absolute_url()).status_code == 200


def test_the_association_sees_no_support(
    client, api_client, association, finance_officer, operators
):
    grant(operators[0], finance_officer)
    client.force_login(association)
    assert client.get(reverse("support:subsidy-list")).status_code in {403, 200}
    assert not Subsidy.objects.visible_to(association).exists()
    api_client.force_authenticate(association)
    assert api_client.get("/api/v1/subsidies/").status_code == 403
    # The operator's page does not tell the association "no subsidy recorded": it has no
    # support section to read, only the notices.
    page = client.get(operators[0].get_absolute_url()).content.decode()
    assert "尚未登记补助或奖励" not in page and "获得的扶持" not in page
    assert "行业协会通知" in page


@pytest.mark.parametrize("year", ["0", "-61915846217883040", "0.3333", "2026abc", "99999"])
@pytest.mark.parametrize(
    "url",
    [
        "subsidy-list",
        "land-support-case-list",
        "association-notice-list",
        "publicity-activity-list",
    ],
)
def test_an_absurd_year_filter_is_refused_not_a_server_error(api_client, commerce_admin, url, year):
    """Found by the schema fuzzer: ?year=0 reached the database's year lookup (a 500)."""
    api_client.force_authenticate(commerce_admin)
    response = api_client.get(reverse(f"api:{url}"), {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


def test_a_year_filter_lists_that_years_subsidies(api_client, commerce_admin, operators):
    api_client.force_authenticate(commerce_admin)
    for granted_on in (dt.date(2025, 6, 1), dt.date(2026, 3, 1)):
        save_subsidy(
            subsidy=Subsidy(
                operator=operators[0],
                basis_document="安财企〔2025〕12号",
                amount=Decimal("100.00"),
                granted_on=granted_on,
                purpose="奖励",
            ),
            actor=commerce_admin,
        )
    listed = api_client.get(reverse("api:subsidy-list"), {"year": "2025"}).json()
    assert [row["granted_on"] for row in listed["results"]] == ["2025-06-01"]
