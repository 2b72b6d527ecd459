"""The demo's scheduled work and assessment, through the services: this period's patrol tasks,
last month's joint meeting with its action items and the next one planned, and this quarter's
township assessment computed for review. Used by `seed_demo`."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.choices import Role
from accounts.selectors import officers
from agencies import meetings
from agencies.models import Agency, Meeting, Township
from anji_recycling.anji_time import anji_moment
from assessments import services as assessment_services
from assessments.choices import PeriodKind
from assessments.models import AssessmentScheme
from inspections.patrols import generate_patrol_tasks

DEMO_MARK = "（演示）"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return anji_moment(day, hour)


def _month_before(day: dt.date) -> dt.date:
    first = day.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=min(day.day, 28))


def seed_meetings(*, admin, today: dt.date) -> int:
    """Last month's joint meeting, held, with three action items (one done), and next
    month's planned. Returns the number of action items."""
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    invited = [
        agencies[code] for code in ("market", "urban", "fire", "ecology") if code in agencies
    ]
    held = meetings.plan_meeting(
        meeting=Meeting(
            title=f"再生资源回收行业管理联席会议{DEMO_MARK}",
            starts_at=_at(_month_before(today), 9),
            place="县商务局三楼会议室",
            convener="县商务局",
            agenda="一、通报网点建设和整治进展；二、研究超期案件；三、部署下阶段工作",
        ),
        actor=admin,
        invited_agencies=invited,
    )
    held = meetings.record_meeting(
        meeting=held,
        actor=admin,
        present_agencies=invited[:-1],
        minutes="会议通报了各乡镇（街道）网点建设和非法点位整治进展。（演示）",
        decisions="各部门按职责分工表限期处置超期案件。（演示）",
    )
    tasks = [
        ("market", "清理无证经营回收点，建立台账", 10),
        ("urban", "处置沿路乱堆放问题", 20),
        ("fire", "开展回收站点消防安全检查", 40),
    ]
    items = []
    for code, description, days in tasks:
        if code not in agencies:
            continue
        items.append(
            meetings.add_action_item(
                meeting=held,
                agency=agencies[code],
                description=f"{description}{DEMO_MARK}",
                due_on=_month_before(today) + dt.timedelta(days=days),
                actor=admin,
            )
        )
    if items:
        meetings.report_progress(item=items[0], author=admin, text="已排查完成，正在整改。（演示）")
        meetings.complete_action_item(item=items[-1], actor=admin)
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=10)
    meetings.plan_meeting(
        meeting=Meeting(
            title=f"再生资源回收行业管理联席会议{DEMO_MARK}",
            starts_at=_at(next_month, 9),
            place="县商务局三楼会议室",
            convener="县商务局",
            agenda="一、督办事项进展；二、考核情况通报",
            previous=held,
        ),
        actor=admin,
        invited_agencies=invited,
    )
    return len(items)


def seed_assessment(*, admin, today: dt.date) -> str | None:
    """This quarter assessed with the default scheme (the demo's sites are registered today, so
    an earlier quarter would score nothing): one assessor's deduction, computed and left for the
    commerce bureau to review, lock and publish. Returns the period's name, or None without a
    scheme or an assessor."""
    scheme = AssessmentScheme.objects.order_by("-version").first()
    assessor = officers(role=Role.ASSESSOR).first()
    if scheme is None or assessor is None:
        return None
    period = assessment_services.open_period(
        scheme=scheme,
        kind=PeriodKind.QUARTER,
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        actor=admin,
    )
    manual = next((indicator for indicator in scheme.indicators.all() if indicator.is_manual), None)
    township = Township.objects.order_by("code").last()
    if manual is not None and township is not None:
        assessment_services.record_deduction(
            period=period,
            township=township,
            indicator=manual,
            points=min(Decimal(2), manual.max_points),
            reason=f"督查发现沿路乱堆放未及时整改{DEMO_MARK}",
            actor=assessor,
        )
    assessment_services.compute_period(period=period, actor=admin)
    return str(period)


def seed_schedule_and_assessment(*, admin, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    patrols = generate_patrol_tasks(today=today)
    return {
        "patrol_tasks": patrols["created"],
        "action_items": seed_meetings(admin=admin, today=today),
        "assessment": seed_assessment(admin=admin, today=today) or "—",
    }
