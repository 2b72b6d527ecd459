"""The latest published assessment ranking, as the dashboard shows it."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from assessments.selectors import latest_published_ranking


@dataclass(frozen=True)
class RankingEntry:
    township_id: int
    name: str
    rank: int
    total: Decimal
    grade: str
    change: Decimal | None  # points since the previous comparable period
    rank_change: int | None  # places gained since then


@dataclass(frozen=True)
class AssessmentRanking:
    """The latest published township ranking (考核排名)."""

    period: str
    end_date: dt.date
    url: str
    rows: list[RankingEntry]

    @property
    def top(self) -> list[RankingEntry]:
        return self.rows[:3]


def latest_assessment_ranking(*, user) -> AssessmentRanking | None:
    """The latest published township ranking, or None when none is published (or the user
    has no part in the assessment), from the assessments app's `latest_published_ranking`."""
    period, rows = latest_published_ranking(user=user)
    if period is None:
        return None
    return AssessmentRanking(
        period=str(period),
        end_date=period.end_date,
        url=period.get_absolute_url(),
        rows=[
            RankingEntry(
                township_id=row.result.township_id,
                name=row.result.township.name,
                rank=row.result.rank,
                total=row.result.total,
                grade=row.result.grade,
                change=row.change,
                rank_change=row.rank_change,
            )
            for row in rows
        ],
    )
