"""The assessment API end to end: scoping like the pages, workflow actions through the
services with the same messages, fixed query counts."""

from decimal import Decimal

import pytest

from assessments.choices import IndicatorKind, PeriodStatus
from assessments.models import Deduction, Objection
from assessments.services import compute_period, lock_period, publish_period, record_deduction

from .conftest import indicator

pytestmark = pytest.mark.django_db

BASE = "/api/v1/"


@pytest.fixture
def computed_q1(q1, commerce_admin, assessor, xilong, dipu, after_q1):
    manual = indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS)
    for township in (xilong, dipu):
        record_deduction(
            period=q1,
            township=township,
            indicator=manual,
            points=Decimal(1),
            reason=f"{township.name}扣分",
            actor=assessor,
        )
    compute_period(period=q1, actor=commerce_admin)
    q1.refresh_from_db()
    return q1


def results(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def test_a_township_reads_only_its_own_scores_and_deductions(
    api_client, dipu_officer, computed_q1, dipu
):
    api_client.force_authenticate(dipu_officer)

    scores = results(api_client.get(f"{BASE}assessment-scores/", {"period": computed_q1.pk}))
    deductions = results(api_client.get(f"{BASE}assessment-deductions/"))
    ranking = api_client.get(f"{BASE}assessment-periods/{computed_q1.pk}/ranking/").json()

    assert {s["township"] for s in scores} == {dipu.pk}
    assert {d["township"] for d in deductions} == {dipu.pk}
    assert [r["township"] for r in ranking] == [dipu.pk]


def test_after_publication_a_township_reads_the_county_ranking(
    api_client, dipu_officer, commerce_admin, computed_q1, dipu
):
    lock_period(period=computed_q1, actor=commerce_admin)
    publish_period(period=computed_q1, actor=commerce_admin)
    api_client.force_authenticate(dipu_officer)

    ranking = api_client.get(f"{BASE}assessment-periods/{computed_q1.pk}/ranking/").json()
    scores = results(api_client.get(f"{BASE}assessment-scores/"))

    assert len(ranking) == 15
    assert {s["township"] for s in scores} == {dipu.pk}


def test_agency_officers_get_nothing(api_client, market_officer, computed_q1):
    api_client.force_authenticate(market_officer)
    assert api_client.get(f"{BASE}assessment-periods/").status_code == 403
    assert api_client.get(f"{BASE}assessment-results/").status_code == 403


def test_lock_publish_unlock_through_the_api(api_client, commerce_admin, computed_q1):
    api_client.force_authenticate(commerce_admin)
    url = f"{BASE}assessment-periods/{computed_q1.pk}/"

    assert api_client.post(f"{url}lock/").json()["status"] == PeriodStatus.LOCKED
    assert api_client.post(f"{url}publish/").json()["status"] == PeriodStatus.PUBLISHED
    assert api_client.post(f"{url}compute/").status_code == 400
    assert api_client.post(f"{url}unlock/", {"reason": ""}).status_code == 400
    unlocked = api_client.post(f"{url}unlock/", {"reason": "数据更正"})
    assert unlocked.json()["status"] == PeriodStatus.COMPUTED


def test_a_leader_cannot_lock(api_client, leader, computed_q1):
    api_client.force_authenticate(leader)
    response = api_client.post(f"{BASE}assessment-periods/{computed_q1.pk}/lock/")
    assert response.status_code == 403


def test_assessor_deducts_and_township_objects_through_the_api(
    api_client, assessor, xilong_officer, commerce_admin, q1, xilong
):
    manual = indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS)
    api_client.force_authenticate(assessor)
    too_much = api_client.post(
        f"{BASE}assessment-deductions/",
        {
            "period": q1.pk,
            "township": xilong.pk,
            "indicator": manual.pk,
            "points": "12",
            "reason": "x",
        },
    )
    assert too_much.status_code == 400
    assert "points" in too_much.json()

    created = api_client.post(
        f"{BASE}assessment-deductions/",
        {
            "period": q1.pk,
            "township": xilong.pk,
            "indicator": manual.pk,
            "points": "2",
            "reason": "网点未悬挂标识",
        },
    )
    assert created.status_code == 201
    deduction = Deduction.objects.get()
    assert deduction.entered_by == assessor

    api_client.force_authenticate(xilong_officer)
    objected = api_client.post(
        f"{BASE}assessment-deductions/{deduction.pk}/object/", {"reason": "已悬挂"}
    )
    assert objected.status_code == 201

    api_client.force_authenticate(commerce_admin)
    objection = Objection.objects.get()
    decided = api_client.post(
        f"{BASE}assessment-objections/{objection.pk}/decide/",
        {"accept": False, "comment": "现场照片不符"},
    )
    assert decided.json()["state"] == "rejected"


def test_township_cannot_create_deductions(api_client, xilong_officer, q1, xilong):
    api_client.force_authenticate(xilong_officer)
    manual = indicator(q1.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS)
    response = api_client.post(
        f"{BASE}assessment-deductions/",
        {
            "period": q1.pk,
            "township": xilong.pk,
            "indicator": manual.pk,
            "points": "2",
            "reason": "自扣",
        },
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "assessment-periods/",
        "assessment-results/",
        "assessment-scores/",
        "assessment-deductions/",
        "assessment-objections/",
        "assessment-schemes/",
    ],
)
def test_api_lists_run_a_fixed_number_of_queries(
    api_client, commerce_admin, computed_q1, path, django_assert_max_num_queries
):
    api_client.force_authenticate(commerce_admin)
    with django_assert_max_num_queries(10):
        assert api_client.get(f"{BASE}{path}").status_code == 200


def test_ranking_endpoint_orders_by_rank(api_client, leader, computed_q1):
    api_client.force_authenticate(leader)
    ranking = api_client.get(f"{BASE}assessment-periods/{computed_q1.pk}/ranking/").json()
    assert [r["rank"] for r in ranking] == sorted(r["rank"] for r in ranking)
    # Both deducted 1 point (69); the other thirteen share rank 1 at 70.
    assert {r["township_name"] for r in ranking if r["rank"] == 14} == {"溪龙乡", "递铺街道"}
