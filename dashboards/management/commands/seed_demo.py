"""Realistic synthetic data for the demo: a transfer station per township, collection points in
villages, operators, patrol reports and the cases they open, moved through the lifecycle; this
period's patrol tasks, a joint meeting with action items, and this quarter's assessment
(dashboards/demo.py).
Everything goes through the services, so routing, history and deadlines are real. Synthetic
names say so (演示); no real operator is invented.

With --scale N it writes instead N times Anji's real size in bulk, for benchmarks (about 500
sites, 10,000 patrol reports and 2,000 cases a unit; see inspections/synthetic.py).
"""

import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_grid_worker
from accounts.choices import Role
from accounts.selectors import officers, people_with_a_role
from agencies.models import ProblemCategory, Township, Village
from dashboards.demo import (
    age_demo_cases,
    leave_tasks_unassigned,
    licence_dates,
    seed_schedule_and_assessment,
)
from inspections.choices import CaseAction
from inspections.models import Case
from inspections.policy import CASE_POLICY
from inspections.services import FindingInput, file_inspection, transition_case
from inspections.synthetic import demo_operator, seed_at_scale
from sites.models import Material, Site
from sites.services import change_site_status, register_site, save_operator
from support.demo import seed_network_and_support
from trade.demo import seed_market, seed_market_at_scale

DEMO_MARK = "（演示）"
VENUES = ["community", "village", "mall", "school", "other"]
# How far a case gets: a path of actions from 上报.
PATHS = [
    [],
    [CaseAction.REGISTER],
    [CaseAction.REGISTER, CaseAction.DISPATCH],
    [CaseAction.REGISTER, CaseAction.DISPATCH, CaseAction.ACCEPT],
    [CaseAction.REGISTER, CaseAction.DISPATCH, CaseAction.ACCEPT, CaseAction.FINISH],
    [
        CaseAction.REGISTER,
        CaseAction.DISPATCH,
        CaseAction.ACCEPT,
        CaseAction.FINISH,
        CaseAction.VERIFY_PASS,
        CaseAction.CLOSE,
    ],
]


def _near(value, spread, rng):
    return (Decimal(value) + Decimal(str(round(rng.uniform(-spread, spread), 6)))).quantize(
        Decimal("0.000001")
    )


class Command(BaseCommand):
    help = "Create synthetic demo sites, operators, reports and cases (use --scale for more)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            help="Write N times Anji's real size in bulk (about 500 sites, 10,000 reports and "
            "2,000 cases each), for benchmarks, instead of the small demo.",
        )
        parser.add_argument(
            "--market-only",
            action="store_true",
            help="With --scale: the sites and the market only, without reports, cases and "
            "patrol tasks (for benchmark_balance).",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--again", action="store_true", help="Add more even if demo data is there."
        )

    def handle(self, *args, scale, seed, again, market_only=False, **options):
        if scale is not None and scale < 1:
            raise CommandError(_("--scale must be at least 1."))
        if Site.objects.filter(name__endswith=DEMO_MARK).exists() and not again:
            self.stdout.write(_("Demo data is already there (use --again to add more)."))
            return
        admin = officers(role=Role.COMMERCE_ADMIN).first()
        if admin is None or not Township.objects.exists():
            raise CommandError(_("Run load_anji and create_demo_accounts first."))
        rng = random.Random(seed)
        if scale is not None:
            self._seed_at_scale(rng=rng, scale=scale, admin=admin, reports=not market_only)
            return
        with transaction.atomic():
            counts = self._seed(rng=rng, admin=admin)
            aged = age_demo_cases(rng=random.Random(seed + 1), today=timezone.localdate())
            scheduled = seed_schedule_and_assessment(admin=admin)
            scheduled["unassigned"] = leave_tasks_unassigned(today=timezone.localdate())
            market = seed_market(admin=admin, rng=rng)
            support = seed_network_and_support(admin=admin, today=timezone.localdate())
        self.stdout.write(
            _("Demo data: %(sites)d sites, %(operators)d operators, %(cases)d cases.") % counts
        )
        self.stdout.write(
            _(
                "Demo cases: %(aged)d dated back to earlier weeks and quarters, %(overdue)d "
                "overdue, %(escalated)d escalated."
            )
            % aged
        )
        self.stdout.write(
            _(
                "Demo schedule: %(patrol_tasks)d patrol tasks (%(unassigned)d unassigned), "
                "%(action_items)d action items, assessment %(assessment)s computed for review."
            )
            % scheduled
        )
        self.stdout.write(
            _(
                "Demo market: %(prices)d reference prices, %(transfers)d transfers, "
                "%(settlements)d settlements."
            )
            % market
        )
        self.stdout.write(
            _(
                "Demo network and support: %(projects)d network projects, %(subsidies)d "
                "subsidies and awards, %(land)d land-support cases, %(publicity)d publicity "
                "activities, one association notice."
            )
            % support
        )

    def _seed_at_scale(self, *, rng, scale, admin, reports=True):
        started = time.perf_counter()
        counts = seed_at_scale(
            scale=scale,
            actor=admin,
            rng=rng,
            today=timezone.localdate(),
            log=self.stdout.write,
            reports=reports,
        )
        market = seed_market_at_scale(
            admin=admin, rng=rng, today=timezone.localdate(), log=self.stdout.write
        )
        self.stdout.write(
            _(
                "Synthetic data at scale %(scale)d: %(sites)d sites, %(inspections)d reports, "
                "%(cases)d cases, %(tasks)d patrol tasks in %(seconds).0f s."
            )
            % {
                "scale": scale,
                "sites": counts.sites,
                "inspections": counts.inspections,
                "cases": counts.cases,
                "tasks": counts.patrol_tasks,
                "seconds": time.perf_counter() - started,
            }
        )
        self.stdout.write(
            _("Market at scale: %(transfers)d transfers, %(prices)d reference prices.") % market
        )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Fresh statistics for the planner, and the visibility map that lets counts on the
            # partial indexes (open work) read the index only.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def _seed(self, *, rng, admin):
        materials = list(Material.objects.all())
        categories = list(ProblemCategory.objects.filter(is_active=True))
        people = list(people_with_a_role())
        sites = operators = cases = 0
        today = timezone.localdate()
        dates = random.Random(rng.random())  # its own stream: the sites stay as they were
        for township in Township.objects.order_by("code"):
            villages = list(Village.objects.filter(township=township, is_active=True))
            station = register_site(
                site=Site(
                    name=f"{township.name}中转分拣站{DEMO_MARK}",
                    tier=2,
                    status="operating",
                    township=township,
                    address=f"{township.name}（演示地址）",
                    latitude=_near(township.latitude, 0.01, rng),
                    longitude=_near(township.longitude, 0.01, rng),
                    dual_use=rng.random() < 0.5,
                ),
                actor=admin,
            )
            sites += 1
            for number in range(3):
                operator = demo_operator(
                    township=township,
                    name=f"{township.name}演示回收点{number + 1}",
                    first17=f"92330523MA{rng.randrange(10**7):07d}",
                    rng=rng,
                )
                for name, value in licence_dates(rng=dates, today=today).items():
                    setattr(operator, name, value)
                operator = save_operator(operator=operator, actor=admin)
                operators += 1
                site = register_site(
                    site=Site(
                        name=f"{operator.name}{DEMO_MARK}",
                        tier=3,
                        status=rng.choice(["operating"] * 4 + ["planned", "under_construction"]),
                        township=township,
                        village=rng.choice(villages) if villages else None,
                        venue_type=rng.choice(VENUES),
                        address=f"{township.name}（演示地址）{number + 1}号",
                        latitude=_near(township.latitude, 0.03, rng),
                        longitude=_near(township.longitude, 0.03, rng),
                        operator=operator,
                        parent=station,
                    ),
                    actor=admin,
                    materials=rng.sample(materials, k=min(3, len(materials))),
                )
                sites += 1
                if site.status == "operating" and rng.random() < 0.4:
                    cases += self._report(
                        site=site, rng=rng, categories=categories, people=people, admin=admin
                    )
            if rng.random() < 0.5:
                point = register_site(
                    site=Site(
                        name="无证回收点（演示）",
                        tier=3,
                        status="illegal",
                        township=township,
                        address=f"{township.name}某路口（演示）",
                        latitude=_near(township.latitude, 0.03, rng),
                        longitude=_near(township.longitude, 0.03, rng),
                    ),
                    actor=admin,
                )
                sites += 1
                if rng.random() < 0.5:
                    change_site_status(
                        site=point, to="banned", actor=admin, reason="联合执法取缔（演示）"
                    )
        return {"sites": sites, "operators": operators, "cases": cases}

    def _report(self, *, site, rng, categories, people, admin):
        inspector = next(
            (u for u in people if is_grid_worker(u) and u.township_id == site.township_id),
            admin,
        )
        chosen = rng.sample(categories, k=rng.choice([1, 1, 2]))
        inspection = file_inspection(
            site=site,
            inspector=inspector,
            result="problems",
            findings=[FindingInput(category=c, description=f"{c.name}（演示）") for c in chosen],
        )
        opened = Case.objects.filter(findings__inspection=inspection).distinct()
        for case in opened:
            for action in rng.choice(PATHS):
                actor = next((u for u in people if CASE_POLICY.may(case, u, action)), None)
                if actor is None:
                    break
                case = transition_case(case=case, action=action, actor=actor, comment="演示")
        return opened.count()
