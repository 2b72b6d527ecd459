"""The demo's network-building projects and the support for the market (`seed_demo`): a few
projects at each open stage (one late against its plan), subsidies and awards to a project and
to operators, land-support cases, publicity activities and an association notice, so the
network and support pages of `make demo` show something real. Everything through the services,
by the commerce bureau's account (which may do each of these)."""

import datetime as dt
from decimal import Decimal

from agencies.models import Township, Village
from network.choices import LandStatus, ProjectKind, ProjectStage
from network.models import NetworkProject
from network.services import advance_project, register_project
from sites.models import Operator, Site

from .models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy
from .services import publish_notice, record_publicity, save_land_support, save_subsidy

DEMO_MARK = "（演示）"
# (kind, stage to reach, how many days ago it was planned, land status)
PROJECTS = [
    (ProjectKind.POINT, ProjectStage.CONSTRUCTION, 200, LandStatus.EXISTING),
    (ProjectKind.CONVERSION, ProjectStage.APPROVED, 120, LandStatus.EXISTING),
    (ProjectKind.POINT, ProjectStage.PLANNING, 30, LandStatus.PENDING),
]


def _project(*, township, kind, planned_days_ago, land_status, today, admin):
    village = Village.objects.filter(township=township, is_active=True).order_by("code").last()
    planned_on = today - dt.timedelta(days=planned_days_ago)
    return register_project(
        project=NetworkProject(
            name=f"{village.name if village else township.name}回收网点建设{DEMO_MARK}"
            if kind == ProjectKind.POINT
            else f"{township.name}垃圾分类中转站“一场两用”改造{DEMO_MARK}",
            kind=kind,
            township=township,
            village=village if kind == ProjectKind.POINT else None,
            address=f"{township.name}（演示地址）",
            builder="县供销联社",
            investment_government=Decimal("120000.00"),
            investment_enterprise=Decimal("60000.00"),
            investment_social=Decimal("20000.00"),
            subsidy=Decimal("30000.00"),
            land_status=land_status,
            target_year=2025,
            planned_on=planned_on,
            planned_approval_on=planned_on + dt.timedelta(days=30),
            planned_construction_on=planned_on + dt.timedelta(days=60),
            planned_completion_on=planned_on + dt.timedelta(days=150),
            planned_operation_on=planned_on + dt.timedelta(days=180),
        ),
        actor=admin,
    )


def seed_network_and_support(*, admin, today: dt.date) -> dict:
    projects = []
    townships = list(Township.objects.order_by("code")[: len(PROJECTS)])
    for township, (kind, stage, days_ago, land) in zip(townships, PROJECTS, strict=False):
        project = _project(
            township=township,
            kind=kind,
            planned_days_ago=days_ago,
            land_status=land,
            today=today,
            admin=admin,
        )
        step = 30
        while project.stage != stage:
            project = advance_project(
                project=project,
                actor=admin,
                on=project.planned_on + dt.timedelta(days=step),
                note="演示",
            )
            step += 30
        projects.append(project)
    operators = list(Operator.objects.filter(name__contains="演示").order_by("pk")[:3])
    subsidies = [
        save_subsidy(
            subsidy=Subsidy(
                project=projects[0],
                basis_document="安财企〔2026〕8号",
                amount=Decimal("30000.00"),
                granted_on=today - dt.timedelta(days=60),
                purpose=f"回收网点建设补助{DEMO_MARK}",
            ),
            actor=admin,
        )
    ]
    for number, operator in enumerate(operators[:2], start=1):
        subsidies.append(
            save_subsidy(
                subsidy=Subsidy(
                    operator=operator,
                    kind="award" if number == 2 else "subsidy",
                    basis_document=f"安商务〔2026〕{10 + number}号",
                    amount=Decimal("5000.00") * number,
                    granted_on=today - dt.timedelta(days=400 * (number - 1) + 20),
                    purpose=f"规范经营奖励{DEMO_MARK}" if number == 2 else f"设备补助{DEMO_MARK}",
                ),
                actor=admin,
            )
        )
    land = []
    stations = Site.objects.filter(tier=2, name__endswith=DEMO_MARK).order_by("township__code")
    for number, site in enumerate(stations[:2]):
        land.append(
            save_land_support(
                case=LandSupportCase(
                    site=site,
                    kind="existing_plant" if number == 0 else "new_allocation",
                    request=f"中转分拣站用地{DEMO_MARK}",
                    requested_on=today - dt.timedelta(days=90),
                    area=Decimal("800.0") if number == 0 else Decimal("1200.0"),
                    decision="approved" if number == 0 else "pending",
                    decided_on=today - dt.timedelta(days=30) if number == 0 else None,
                ),
                actor=admin,
            )
        )
    publicity = [
        record_publicity(
            activity=PublicityActivity(
                held_on=today - dt.timedelta(days=days),
                township=township,
                form=form,
                topic=f"再生资源回收法规宣传{DEMO_MARK}",
                audience="经营户、居民",
                audience_count=count,
            ),
            actor=admin,
        )
        for township, form, days, count in (
            (townships[0], "offline", 40, 60),
            (townships[0], "online", 10, 500),
            (townships[1], "offline", 100, 35),
        )
    ]
    publish_notice(
        notice=AssociationNotice(
            kind="convention",
            title=f"安吉县再生资源行业自律公约{DEMO_MARK}",
            body="各会员单位：\n请遵守行业自律公约，规范回收经营。",
        ),
        operators=[],
        actor=admin,
    )
    return {
        "projects": len(projects),
        "subsidies": len(subsidies),
        "land": len(land),
        "publicity": len(publicity),
    }
