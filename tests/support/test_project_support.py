"""Subsidies and awards to a network-building project (not only to an operator): recorded by
the finance and commerce bureaus with history, scoped by the project's township in the lists,
the project's page, the API and the county summary and its export."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.choices import Role
from support.models import Subsidy
from support.selectors import support_summary
from support.services import save_subsidy
from tests.factories import make_operator, make_user
from tests.network.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_officer(db):
    return make_user(Role.AGENCY_OFFICER, agency_code="finance")


@pytest.fixture
def projects(commerce_admin, dipu, changshuo):
    return (
        make_project(actor=commerce_admin, township=dipu, name="递铺中转站建设项目"),
        make_project(actor=commerce_admin, township=changshuo, name="昌硕回收点建设项目"),
    )


def grant(actor, *, project=None, operator=None, amount="80000.00", on=dt.date(2025, 5, 1)):
    return save_subsidy(
        subsidy=Subsidy(
            project=project,
            operator=operator,
            kind="subsidy",
            basis_document="安财建〔2025〕7号",
            amount=Decimal(amount),
            granted_on=on,
            purpose="网点建设补助",
        ),
        actor=actor,
    )


def test_a_project_receives_a_subsidy_with_history(finance_officer, projects):
    subsidy = grant(finance_officer, project=projects[0])
    assert subsidy.recipient == projects[0]
    assert subsidy.township == projects[0].township
    assert subsidy.granted_by.code == "finance"
    record = subsidy.history.get()
    assert record.history_user == finance_officer
    assert record.project_id == projects[0].pk


def test_a_grant_goes_to_one_operator_or_one_project(finance_officer, commerce_admin, projects):
    operator = make_operator(actor=commerce_admin, seed=41)
    for recipients in ({}, {"operator": operator, "project": projects[0]}):
        with pytest.raises(ValidationError) as refused:
            grant(finance_officer, **recipients)
        assert "operator" in refused.value.message_dict
    assert not Subsidy.objects.exists()


def test_a_township_sees_its_projects_grants_only_in_list_page_and_api(
    client, api_client, finance_officer, dipu_officer, projects
):
    own = grant(finance_officer, project=projects[0], amount="1000.00")
    other = grant(finance_officer, project=projects[1], amount="2000.00")

    client.force_login(dipu_officer)
    listing = client.get(reverse("support:subsidy-list")).content.decode()
    assert "递铺中转站建设项目" in listing and "昌硕回收点建设项目" not in listing
    assert client.get(other.get_absolute_url()).status_code == 404
    page = client.get(projects[0].get_absolute_url()).content.decode()
    assert "安财建〔2025〕7号" in page and own.get_absolute_url() in page
    assert client.get(projects[1].get_absolute_url()).status_code == 404

    api_client.force_authenticate(dipu_officer)
    rows = api_client.get("/api/v1/subsidies/").json()["results"]
    assert [(r["id"], r["project"], r["project_name"], r["operator"]) for r in rows] == [
        (own.pk, projects[0].pk, "递铺中转站建设项目", None)
    ]
    assert api_client.get(f"/api/v1/subsidies/{other.pk}/").status_code == 404
    by_township = api_client.get("/api/v1/subsidies/", {"project": projects[0].pk}).json()
    assert [r["id"] for r in by_township["results"]] == [own.pk]


def test_the_api_records_a_grant_to_a_project_and_refuses_both_in_chinese(
    api_client, finance_officer, commerce_admin, projects
):
    operator = make_operator(actor=commerce_admin, seed=42)
    body = {
        "project": projects[1].pk,
        "kind": "award",
        "basis_document": "安商〔2025〕3号",
        "amount": "5000.00",
        "granted_on": "2025-07-01",
        "purpose": "建成投运奖励",
    }
    api_client.force_authenticate(finance_officer)
    response = api_client.post(
        "/api/v1/subsidies/", {**body, "operator": operator.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert response.json()["operator"] == [
        "请选择补助或奖励的对象：经营主体或网点建设项目（二者选一）。"
    ]
    response = api_client.post("/api/v1/subsidies/", body, format="json")
    assert response.status_code == 201, response.json()
    assert Subsidy.objects.get().project == projects[1]


def test_the_summary_counts_project_grants_in_the_projects_township(
    client, finance_officer, commerce_admin, projects, dipu, changshuo
):
    operator = make_operator(actor=commerce_admin, seed=43)  # 递铺
    grant(finance_officer, operator=operator, amount="100.00")
    grant(finance_officer, project=projects[0], amount="1000.00")
    grant(finance_officer, project=projects[1], amount="2000.00")
    rows = {(r["year"], r["township"].code): r for r in support_summary(user=commerce_admin)}
    assert (rows[(2025, dipu.code)]["total_amount"], rows[(2025, dipu.code)]["project_amount"]) == (
        Decimal("1100.00"),
        Decimal("1000.00"),
    )
    assert rows[(2025, changshuo.code)]["project_amount"] == Decimal("2000.00")
    dipu_officer = make_user(Role.TOWNSHIP_OFFICER, township_code=dipu.code)
    assert [r["total_amount"] for r in support_summary(user=dipu_officer)] == [Decimal("1100.00")]

    client.force_login(commerce_admin)
    response = client.get(reverse("support:summary-export"), {"year": 2025})
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=2, column=9).value == "其中网点建设项目（元）"  # after 序号
    values = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [(row[0], row[2], row[7], row[8]) for row in values] == [
        (1, "递铺街道", 1100, 1000),
        (2, "昌硕街道", 2000, 2000),
    ]
