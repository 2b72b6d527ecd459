"""Synthetic data at N times Anji's real size, for benchmarks (`seed_demo --scale N`).

One unit is about Anji's real size: per township a transfer station and about 31 collection
points (≈ 470, with an operator each), about 15 illegal or banned points, 10,000 patrol reports
over the last two years of which about a fifth found problems, and the ≈ 2,000 cases those
opened, routed by the real duty table, most of the older ones closed (some late), the recent
ones at every stage, some overdue; plus monthly patrol tasks for the last twelve months.

Written with bulk_create (with history rows where the models keep history), not through the
services one row at a time, so that ten units take minutes rather than hours: the rows are
those the services would write, with the invariants the database holds (one open case per site
and category, unique numbers), but without checklist answers, photos or notifications. Names are
marked （演示）; no real operator is invented.

This module makes the units and their sites and reports; what becomes of the reports' cases and
the sites' patrol tasks is in synthetic_cases.py, the bulk writing in bulk_rows.py.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from agencies.models import ProblemCategory, Township, Village
from anji_recycling.validators import credit_code_check_character
from sites.choices import SiteStatus, SiteTier
from sites.models import Material, Operator, Site, SiteStatusChange

from .bulk_rows import write_rows
from .choices import (
    OPEN_STATUSES,
    CaseStatus,
    InspectionResult,
    PatrolFrequency,
    Stage,
)
from .models import Case, Finding, Inspection, PatrolPlan
from .synthetic_cases import (
    Router,
    assist_each_other,
    moment,
    number_cases,
    set_lifecycle,
    weighted,
    write_events,
    write_patrol_tasks,
)

MARK = "（演示）"

# Per unit (about Anji's real size).
POINTS_PER_TOWNSHIP = 31
ILLEGAL_PER_TOWNSHIP = 1
REPORTS = 10_000
PROBLEM_SHARE = 0.17
DAYS_BACK = 730

POINT_STATUSES = [
    (SiteStatus.OPERATING, 75),
    (SiteStatus.PLANNED, 4),
    (SiteStatus.UNDER_CONSTRUCTION, 5),
    (SiteStatus.RECTIFYING, 8),
    (SiteStatus.SUSPENDED, 5),
    (SiteStatus.CLOSED, 3),
]
VENUES = ["community", "village", "mall", "school", "other"]
CATEGORY_WEIGHTS = {
    "poor_management": 30,
    "appearance": 20,
    "fire_hazard": 15,
    "pollution": 10,
    "unlicensed": 10,
    "special_equipment": 5,
    "illegal_building": 4,
    "illegal_land_use": 3,
    "public_order": 3,
}


@dataclass
class Counts:
    sites: int = 0
    operators: int = 0
    inspections: int = 0
    cases: int = 0
    patrol_tasks: int = 0


def _near(value, spread, rng) -> Decimal:
    offset = Decimal(str(round(rng.uniform(-spread, spread), 6)))
    return (Decimal(value) + offset).quantize(Decimal("0.000001"))


def demo_operator(*, township, name: str, first17: str, rng) -> Operator:
    """A synthetic individual business (not saved): a valid credit code from `first17`."""
    return Operator(
        name=name,
        kind="individual",
        credit_code=first17 + credit_code_check_character(first17),
        legal_representative="演示",
        contact_phone=f"139{rng.randrange(10**8):08d}",
        township=township,
    )


class _SiteNumbers:
    """Site numbers as the registry gives them (330523001-3-0007), continuing each sequence."""

    def __init__(self):
        self.last = defaultdict(int)
        for code in Site.objects.values_list("code", flat=True):
            prefix, number = code.rsplit("-", 1)
            self.last[prefix] = max(self.last[prefix], int(number))

    def next(self, township, tier) -> str:
        prefix = f"{township.code}-{tier}"
        self.last[prefix] += 1
        return f"{prefix}-{self.last[prefix]:04d}"


@dataclass
class _Unit:
    """What every unit reads once: the territory, who files reports, the categories and the
    routing they resolve to, the plan the tasks belong to, and the numbers so far."""

    townships: list
    villages: dict
    inspectors: dict
    materials: list
    numbers: "_SiteNumbers"
    next_operator: int
    categories: list | None = None
    router: "Router | None" = None
    plan: PatrolPlan | None = None


def seed_at_scale(
    *, scale: int, actor, rng: random.Random, today: dt.date, log=print, reports: bool = True
) -> Counts:
    """N times Anji's sites, and (unless not `reports`) their reports, cases and tasks, one
    unit (about Anji's size) per transaction: memory stays that of one unit, and what was
    written stays written if a later unit fails."""
    counts = Counts()
    villages = defaultdict(list)
    for village in Village.objects.filter(is_active=True).select_related("township"):
        villages[village.township_id].append(village)
    unit = _Unit(
        townships=list(Township.objects.order_by("code")),
        villages=villages,
        inspectors=_inspectors(actor),
        materials=list(Material.objects.values_list("pk", flat=True)),
        numbers=_SiteNumbers(),
        next_operator=Operator.objects.count() + 1,
    )
    if reports:
        categories = {c.code: c for c in ProblemCategory.objects.filter(is_active=True)}
        unit.categories = [
            (categories[code], weight)
            for code, weight in CATEGORY_WEIGHTS.items()
            if code in categories
        ]
        unit.router = Router()
        unit.plan, _created = PatrolPlan.objects.get_or_create(
            name="运营中站点月度巡查",
            defaults={"status": SiteStatus.OPERATING, "frequency": PatrolFrequency.MONTHLY},
        )
    for number in range(scale):
        with transaction.atomic():
            sites = _sites(number=number, unit=unit, actor=actor, rng=rng)
            counts.sites += len(sites)
            counts.operators += sum(1 for site in sites if site.operator_id)
            if reports:
                inspections, cases = _reports(
                    sites=sites, unit=unit, actor=actor, rng=rng, today=today
                )
                counts.inspections += inspections
                counts.cases += cases
                counts.patrol_tasks += write_patrol_tasks(
                    sites=sites, plan=unit.plan, rng=rng, today=today
                )
        log(
            f"unit {number + 1}/{scale}: sites {counts.sites}, operators {counts.operators}, "
            f"inspections {counts.inspections}, cases {counts.cases}, "
            f"patrol tasks {counts.patrol_tasks}"
        )
    return counts


def _inspectors(actor) -> dict:
    """Each township's grid workers and officers, to file its reports; else the actor."""
    from accounts.selectors import township_people

    by_township = defaultdict(list)
    for user in township_people():
        by_township[user.township_id].append(user)
    return defaultdict(lambda: [actor], by_township)


def _sites(*, number, unit, actor, rng) -> list[Site]:
    """One unit's sites: a transfer station per township (written first, so that its points
    name it as their parent in their first history entry), its points and illegal points."""
    numbers, villages = unit.numbers, unit.villages
    operators, stations, points = [], [], []
    for township in unit.townships:
        lat, lng = township.latitude or Decimal("30.63"), township.longitude or Decimal("119.6")
        station = Site(
            code=numbers.next(township, SiteTier.TRANSFER_STATION),
            name=f"{township.name}中转分拣站{number + 1}{MARK}",
            tier=SiteTier.TRANSFER_STATION,
            status=SiteStatus.OPERATING,
            township=township,
            address=f"{township.name}（演示地址）",
            latitude=_near(lat, 0.01, rng),
            longitude=_near(lng, 0.01, rng),
            dual_use=rng.random() < 0.5,
        )
        stations.append(station)
        for point in range(POINTS_PER_TOWNSHIP):
            operator = demo_operator(
                township=township,
                name=f"{township.name}演示回收点{number + 1}-{point + 1}",
                first17=f"92330523{unit.next_operator:09d}",
                rng=rng,
            )
            unit.next_operator += 1
            operator.licence_issued_on = dt.date(2024, 1, 1) + dt.timedelta(rng.randrange(700))
            operators.append(operator)
            points.append(
                Site(
                    code=numbers.next(township, SiteTier.COLLECTION_POINT),
                    name=f"{operator.name}{MARK}",
                    tier=SiteTier.COLLECTION_POINT,
                    status=weighted(rng, POINT_STATUSES),
                    township=township,
                    village=rng.choice(villages[township.pk]) if villages[township.pk] else None,
                    venue_type=rng.choice(VENUES),
                    address=f"{township.name}（演示地址）{number + 1}-{point + 1}号",
                    latitude=_near(lat, 0.03, rng),
                    longitude=_near(lng, 0.03, rng),
                    operator=operator,
                    parent=station,
                )
            )
        for _number in range(ILLEGAL_PER_TOWNSHIP):
            points.append(
                Site(
                    code=numbers.next(township, SiteTier.COLLECTION_POINT),
                    name=f"无证回收点{MARK}",
                    tier=SiteTier.COLLECTION_POINT,
                    status=rng.choice([SiteStatus.ILLEGAL, SiteStatus.BANNED]),
                    township=township,
                    address=f"{township.name}某路口（演示）",
                    latitude=_near(lat, 0.03, rng),
                    longitude=_near(lng, 0.03, rng),
                )
            )
    write_rows(Operator, operators, history=True, actor=actor)
    write_rows(Site, stations, history=True, actor=actor)
    for site in points:
        if site.operator is not None:
            site.operator_id = site.operator.pk
        if site.parent is not None:
            site.parent_id = site.parent.pk
    write_rows(Site, points, history=True, actor=actor)
    sites = stations + points
    write_rows(
        SiteStatusChange,
        [
            SiteStatusChange(
                site=site, from_status="", to_status=site.status, actor=actor, reason="登记（演示）"
            )
            for site in sites
        ],
    )
    through = Site.materials.through
    write_rows(
        through,
        [
            through(site_id=site.pk, material_id=material)
            for site in points
            for material in rng.sample(unit.materials, k=min(3, len(unit.materials)))
        ],
    )
    return sites


def _reports(*, sites, unit, actor, rng, today):
    """One unit's reports over the unit's sites, the cases they open and their events."""
    weights, router, inspectors = unit.categories, unit.router, unit.inspectors
    patrolled = [s for s in sites if s.status not in (SiteStatus.PLANNED, SiteStatus.CLOSED)]
    inspections, findings, cases = [], [], []
    open_keys = set()
    for _number in range(REPORTS):
        site = rng.choice(patrolled)
        day = today - dt.timedelta(days=rng.randrange(DAYS_BACK))
        problems = rng.random() < PROBLEM_SHARE
        inspection = Inspection(
            site=site,
            township_id=site.township_id,
            inspector=rng.choice(inspectors[site.township_id]),
            inspected_at=moment(day, rng),
            result=InspectionResult.PROBLEMS if problems else InspectionResult.PASSED,
            latitude=site.latitude,
            longitude=site.longitude,
        )
        inspections.append(inspection)
        if not problems:
            continue
        chosen = {weighted(rng, weights) for _ in range(rng.choice([1, 1, 1, 1, 2]))}
        for category in chosen:
            routing = router(category=category, site=site)
            if routing is None:
                continue
            case = Case(
                site=site,
                township_id=site.township_id,
                village_id=site.village_id,
                category=category,
                description=f"{category.name}（演示）",
                duty_rule=routing.rule,
                area=routing.area,
                lead_agency=routing.lead_agency,
                deadline_days={
                    Stage.REGISTER: routing.rule.register_days,
                    Stage.DISPATCH: routing.rule.dispatch_days,
                    Stage.HANDLE: routing.rule.handle_days,
                    Stage.VERIFY: routing.rule.verify_days,
                },
                reported_by=inspection.inspector,
                reported_at=inspection.inspected_at,
                is_serious=rng.random() < 0.05,
            )
            set_lifecycle(case, rng=rng, today=today)
            key = (site.pk, category.pk)
            if case.status in OPEN_STATUSES:
                if key in open_keys:  # one open case per site and category: close the older
                    case.status, case.stage, case.stage_deadline = CaseStatus.DISMISSED, "", None
                else:
                    open_keys.add(key)
            cases.append(case)
            findings.append(
                Finding(
                    inspection=inspection,
                    category=category,
                    description=case.description,
                    case=case,
                )
            )
    write_rows(Inspection, inspections)
    number_cases(cases)
    write_rows(Case, cases, history=True, actor=actor)
    for finding in findings:
        # Assigned again now that they have ids: the ids are set and the rows stay cached
        # (setting the ids alone would drop them, and each would be fetched again).
        finding.inspection, finding.case = finding.inspection, finding.case
    write_rows(Finding, findings)
    assist_each_other(findings)
    write_events(cases)
    return len(inspections), len(cases)
