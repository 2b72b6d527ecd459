"""Reads of the assessment. Every selector starts from the models' `visible_to(user)`, and each
runs a fixed number of queries however many townships, indicators or records there are."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from accounts.access import assessed_township_id, reads_whole_county
from agencies.models import Township, Village
from inspections.deadlines import deadline_label
from inspections.models import Case, EnforcementAction, PatrolTask
from sites.models import Site

from .choices import FROZEN_STATUSES, ObjectionState, PeriodStatus
from .models import (
    AssessmentPeriod,
    AssessmentScheme,
    Deduction,
    DeductionEvidence,
    IndicatorScore,
    Objection,
    TownshipResult,
)


def periods_for_list(*, user):
    return (
        AssessmentPeriod.objects.visible_to(user)
        .select_related("scheme")
        .annotate(
            pending_objections=Count(
                "deductions__objections",
                filter=Q(deductions__objections__state=ObjectionState.PENDING),
            )
        )
        .order_by("-start_date", "kind", "-pk")
    )


def schemes_for_list(*, user):
    return (
        AssessmentScheme.objects.visible_to(user)
        .annotate(indicator_count=Count("indicators", distinct=True))
        .order_by("code", "-version")
    )


def scheme_with_rows(*, scheme_pk, user) -> AssessmentScheme:
    return (
        AssessmentScheme.objects.visible_to(user)
        .prefetch_related("indicators", "grade_bands")
        .get(pk=scheme_pk)
    )


def previous_period(*, period: AssessmentPeriod, user) -> AssessmentPeriod | None:
    """The period before this one to compare with: the same scheme (any version) and length,
    ended before this one began, locked or published (published only, for a township)."""
    statuses = FROZEN_STATUSES if reads_whole_county(user) else {PeriodStatus.PUBLISHED}
    return (
        AssessmentPeriod.objects.visible_to(user)
        .filter(
            scheme__code=period.scheme.code,
            kind=period.kind,
            end_date__lt=period.start_date,
            status__in=statuses,
        )
        .order_by("-end_date")
        .first()
    )


@dataclass
class RankingRow:
    result: TownshipResult
    previous: TownshipResult | None = None
    points: dict = field(default_factory=dict)  # indicator pk -> IndicatorScore

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.result.total - self.previous.total

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (positive: moved up)."""
        return None if self.previous is None else self.previous.rank - self.result.rank


def ranking(*, period: AssessmentPeriod, user, with_scores: bool = False) -> list[RankingRow]:
    """The townships of a period by rank (ties by division code), each with its result of
    the previous period; `with_scores` adds each township's indicator scores the user may
    see (the review table). Three queries at most."""
    results = list(
        TownshipResult.objects.visible_to(user)
        .filter(period=period)
        .select_related("township")
        .order_by("rank", "township__code")
    )
    before = previous_period(period=period, user=user)
    previous = {}
    if before is not None:
        previous = {
            r.township_id: r for r in TownshipResult.objects.visible_to(user).filter(period=before)
        }
    rows = [RankingRow(result=r, previous=previous.get(r.township_id)) for r in results]
    if with_scores:
        scores = IndicatorScore.objects.visible_to(user).filter(period=period)
        by_township = {}
        for score in scores:
            by_township.setdefault(score.township_id, {})[score.indicator_id] = score
        for row in rows:
            row.points = by_township.get(row.result.township_id, {})
    return rows


def latest_published_ranking(*, user) -> tuple[AssessmentPeriod | None, list[RankingRow]]:
    """The county ranking of the latest published period, for dashboards.

    Returns `(period, rows)`: the most recent period (by end date) whose results are
    published, and its townships by rank, each row a `RankingRow` with `result`
    (TownshipResult: township, total, rank, grade), `previous` (the same township's result in
    the previous comparable period, or None) and the properties `change` (points since then)
    and `rank_change` (places gained). `(None, [])` when nothing is published yet or the user
    has no part in the assessment. Scoped like every page: a township user gets the county
    ranking (published results are public to them), agency officers nothing. Four queries.
    """
    period = (
        AssessmentPeriod.objects.visible_to(user)
        .filter(status=PeriodStatus.PUBLISHED)
        .select_related("scheme")
        .order_by("-end_date", "-published_at")
        .first()
    )
    if period is None:
        return None, []
    return period, ranking(period=period, user=user)


def may_see_township(*, period: AssessmentPeriod, township: Township, user) -> bool:
    """Whether a user may open a township's detail page for a period: county readers always,
    a township its own."""
    if reads_whole_county(user):
        return True
    return assessed_township_id(user) == township.pk


@dataclass
class IndicatorLine:
    score: IndicatorScore
    previous: IndicatorScore | None
    records: list  # the records behind lost points (or the counted ones for a count)
    more: int  # how many more such records the score page lists

    @property
    def change(self):
        if self.previous is None:
            return None
        return self.score.weighted_points - self.previous.weighted_points


RECORDS_SHOWN = 20


def township_detail(*, period: AssessmentPeriod, township: Township, user) -> dict:
    """Everything the township page shows: the result, each indicator with its value, points,
    the previous period's points and the records behind the lost points, the deductions with
    evidence and objections. A fixed number of queries (one per kind of evidence)."""
    result = (
        TownshipResult.objects.visible_to(user).filter(period=period, township=township).first()
    )
    scores = list(
        IndicatorScore.objects.visible_to(user)
        .filter(period=period, township=township)
        .select_related("indicator")
        .order_by("indicator__sort_order", "indicator__pk")
    )
    before = previous_period(period=period, user=user)
    previous_scores, previous_result = {}, None
    if before is not None:
        previous_result = (
            TownshipResult.objects.visible_to(user).filter(period=before, township=township).first()
        )
        previous_scores = {
            s.indicator.kind if not s.indicator.is_manual else f"m:{s.indicator.name}": s
            for s in IndicatorScore.objects.visible_to(user)
            .filter(period=before, township=township)
            .select_related("indicator")
        }
    wanted = {score.pk: _reason_ids(score)[:RECORDS_SHOWN] for score in scores}
    records = resolve_records(
        requests=[(score.evidence.get("model"), wanted[score.pk]) for score in scores],
        user=user,
    )
    lines = []
    for score in scores:
        model = score.evidence.get("model")
        key = score.indicator.kind if not score.indicator.is_manual else f"m:{score.indicator.name}"
        ids = _reason_ids(score)
        lines.append(
            IndicatorLine(
                score=score,
                previous=previous_scores.get(key),
                records=[
                    records[(model, pk)] for pk in ids[:RECORDS_SHOWN] if (model, pk) in records
                ],
                more=max(len(ids) - RECORDS_SHOWN, 0),
            )
        )
    return {
        "result": result,
        "previous_period": before,
        "previous_result": previous_result,
        "lines": lines,
        "deductions": list(deductions_for_list(user=user).filter(period=period, township=township)),
    }


def _reason_ids(score: IndicatorScore) -> list[int]:
    """The records that explain the points a township lost: those not counted for a rate,
    the counted ones for a count (illegal points, deductions)."""
    evidence = score.evidence or {}
    if evidence.get("not_counted") or score.denominator:
        return list(evidence.get("not_counted") or [])
    return list(evidence.get("counted") or [])


@dataclass(frozen=True)
class Record:
    """A record an indicator was computed from, as a line with a link."""

    label: str
    url: str | None
    detail: str = ""


def _village_record(village):
    return Record(label=str(village), url=None, detail=village.code)


def _site_record(site):
    return Record(label=str(site), url=site.get_absolute_url(), detail=site.get_status_display())


def _task_record(task):
    return Record(
        label=str(task.site),
        url=task.site.get_absolute_url(),
        detail=f"{task.due_on:%Y-%m-%d} · {task.get_status_display()}",
    )


def _case_record(case):
    deadline = (
        deadline_label(case.handling_deadline, case.handling_deadline_provisional)
        if case.handling_deadline
        else ""
    )
    return Record(
        label=str(case),
        url=case.get_absolute_url(),
        detail=f"{deadline} · {case.get_status_display()}",
    )


def _action_record(action):
    return Record(
        label=f"{action.case.number} {action.get_kind_display()}",
        url=action.case.get_absolute_url(),
        detail=f"{action.rectify_by:%Y-%m-%d}" if action.rectify_by else "",
    )


def _deduction_record(deduction):
    return Record(
        label=f"−{deduction.points} {deduction.reason[:60]}",
        url=deduction.get_absolute_url(),
        detail=deduction.get_state_display(),
    )


def _publicity_record(activity) -> Record:
    return Record(
        label=f"{activity.held_on:%Y-%m-%d} {activity.topic}",
        url=activity.get_absolute_url(),
        detail=activity.get_form_display(),
    )


def _evidence_sources(user):
    """For each kind of record: the rows the user may see, and how one reads as a line."""
    from support.models import PublicityActivity

    return {
        "support.publicityactivity": (
            PublicityActivity.objects.visible_to(user),
            _publicity_record,
        ),
        "agencies.village": (Village.objects.visible_to(user), _village_record),
        "sites.site": (Site.objects.visible_to(user), _site_record),
        "inspections.patroltask": (
            PatrolTask.objects.visible_to(user).select_related("site"),
            _task_record,
        ),
        "inspections.case": (
            Case.objects.visible_to(user).select_related("category"),
            _case_record,
        ),
        "inspections.enforcementaction": (
            EnforcementAction.objects.filter(case__in=Case.objects.visible_to(user)).select_related(
                "case__category"
            ),
            _action_record,
        ),
        "assessments.deduction": (Deduction.objects.visible_to(user), _deduction_record),
    }


def resolve_records(*, requests, user) -> dict:
    """{(model, pk): Record} for the (model, ids) requested: one query per kind of record,
    only rows the user may see (a record deleted since reads as missing)."""
    sources = _evidence_sources(user)
    wanted = {}
    for model, ids in requests:
        if model in sources and ids:
            wanted.setdefault(model, set()).update(ids)
    found = {}
    for model, ids in wanted.items():
        queryset, as_record = sources[model]
        for row in queryset.filter(pk__in=ids):
            found[(model, row.pk)] = as_record(row)
    return found


def score_records(*, score: IndicatorScore, user) -> dict:
    """All records behind one score, grouped as counted, not counted and left out."""
    evidence = score.evidence or {}
    model = evidence.get("model")
    groups = {
        name: list(evidence.get(name) or []) for name in ("counted", "not_counted", "excluded")
    }
    records = resolve_records(requests=[(model, ids) for ids in groups.values()], user=user)
    return {
        name: [records[(model, pk)] for pk in ids if (model, pk) in records]
        for name, ids in groups.items()
    }


def deductions_for_list(*, user):
    return (
        Deduction.objects.visible_to(user)
        .select_related("township", "indicator", "entered_by", "period__scheme")
        .prefetch_related(
            Prefetch("evidence", queryset=DeductionEvidence.objects.order_by("pk")),
            Prefetch(
                "objections",
                queryset=Objection.objects.select_related("filed_by", "decided_by").order_by(
                    "-filed_at"
                ),
            ),
        )
        .order_by("township__code", "-created_at", "-pk")
    )


def objections_waiting(*, user, period=None):
    objections = Objection.objects.visible_to(user).filter(state=ObjectionState.PENDING)
    if period is not None:
        objections = objections.filter(deduction__period=period)
    return objections.select_related("deduction__township", "deduction__indicator", "filed_by")


def latest_run(*, period: AssessmentPeriod):
    return period.runs.select_related("started_by").first()


def latest_results_by_scheme(*, township, user) -> list[dict]:
    """For each assessment scheme (by code: every version counts), the township's latest
    result the user may see, or none yet: two queries."""
    from .models import AssessmentScheme, TownshipResult

    schemes = {}
    for scheme in AssessmentScheme.objects.visible_to(user).order_by("code", "-version"):
        schemes.setdefault(scheme.code, scheme)
    latest = {}
    for result in (
        TownshipResult.objects.visible_to(user)
        .filter(township=township)
        .select_related("period", "period__scheme")
        .order_by("-period__end_date", "-pk")
    ):
        latest.setdefault(result.period.scheme.code, result)
    return [{"scheme": scheme, "result": latest.get(code)} for code, scheme in schemes.items()]
