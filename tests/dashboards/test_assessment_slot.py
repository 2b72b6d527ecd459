"""The latest published assessment ranking on the dashboard, read through the assessments
app's `latest_published_ranking(user=...)` -> (period, rows); faked here so that the dashboard's
side is tested on its own (the assessments app's tests cover the ranking itself)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from agencies.models import Township
from dashboards.selectors import assessment as dashboard_selectors
from dashboards.selectors import latest_assessment_ranking

pytestmark = pytest.mark.django_db


@dataclass
class FakePeriod:
    end_date: dt.date = dt.date(2026, 3, 31)

    def __str__(self):
        return "2026年第1季度"

    def get_absolute_url(self):
        return "/assessments/7/"


@dataclass
class FakeResult:
    township: Township
    rank: int
    total: Decimal
    grade: str = "优秀"

    @property
    def township_id(self):
        return self.township.pk


@dataclass
class FakeRow:
    result: FakeResult
    change: Decimal | None = None
    rank_change: int | None = None


@pytest.fixture
def published(monkeypatch):
    townships = list(Township.objects.order_by("code")[:4])
    rows = [
        FakeRow(FakeResult(township, rank, Decimal(100 - rank)), Decimal("1.5"), 1)
        for rank, township in enumerate(townships, start=1)
    ]
    monkeypatch.setattr(
        dashboard_selectors, "latest_published_ranking", lambda *, user: (FakePeriod(), rows)
    )
    return townships


def test_the_ranking_is_read_from_the_assessments_app(published, leader):
    ranking = latest_assessment_ranking(user=leader)

    assert ranking.period == "2026年第1季度"
    assert ranking.url == "/assessments/7/"
    assert [row.name for row in ranking.top] == [t.name for t in published[:3]]
    assert ranking.rows[0].total == Decimal(99)
    assert ranking.rows[0].change == Decimal("1.5")


def test_nothing_published_is_none(monkeypatch, leader):
    monkeypatch.setattr(dashboard_selectors, "latest_published_ranking", lambda *, user: (None, []))

    assert latest_assessment_ranking(user=leader) is None


def test_the_page_and_the_json_show_the_ranking(published, client, leader, dipu_officer):
    client.force_login(leader)
    html = client.get("/dashboard/").content.decode()
    data = client.get("/api/v1/dashboard/").json()

    assert 'href="/assessments/7/" data-figure="assessment"' in html
    assert published[0].name in html
    assert [row["rank"] for row in data["assessment"]["rows"]] == [1, 2, 3, 4]

    client.force_login(dipu_officer)
    html = client.get("/dashboard/").content.decode()
    assert 'data-figure="assessment"' in html
