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
        "leading_group": seed_leading_group(admin=admin),
    }


# The annex's leading group, as the county's document lists it (the demo only: load_anji holds
# the posts and no personal names). (组长, 副组长 by the unit of their post, members by unit.)
LEADING_GROUP_LEADER = "郭连伟"
LEADING_GROUP_DEPUTIES = [("govoffice", "马超"), ("commerce", "唐春燕")]
LEADING_GROUP_MEMBERS = [
    ("商务局", "胡志强"),
    ("公安局", "章旭辉"),
    ("财政局", "童升明"),
    ("资源规划局", "钱誉"),
    ("农业农村局", "葛鹏炎"),
    ("市场监管局", "李群刚"),
    ("综合执法局", "吴宏亮"),
    ("生态环境局", "鲍鲲"),
    ("社会治理中心", "李笑"),
    ("生态文明建设督导组", "马贻松"),
    ("消防救援大队", "孙露军"),
    ("供销联社", "叶茂荣"),
    ("昌硕街道", "楼高峰"),
    ("递铺街道", "卢培炎"),
    ("灵峰街道", "陆勇"),
    ("孝源街道", "郑虎"),
    ("天荒坪镇", "俞军政"),
    ("孝丰镇", "吴琳琳"),
    ("梅溪镇", "王炜"),
    ("天子湖镇", "吴清泉"),
    ("溪龙乡", "王炜"),
    ("鄣吴镇", "叶苏苏"),
    ("杭垓镇", "李植阳"),
    ("报福镇", "周颖"),
    ("章村镇", "沈一文"),
    ("上墅乡", "朱峰辰"),
    ("山川乡", "阮悦"),
]
# The draft opinion states no date of its own; the demo's memberships start on this day (put
# the signed document's date here once it is known).
OPINION_DATE = dt.date(2021, 1, 1)


def seed_leading_group(*, admin, start: dt.date = OPINION_DATE) -> int:
    """Fill the posts of the leading group with the annex's names (only empty posts)."""
    from agencies.choices import PostRole
    from agencies.models import LeadingGroupMembership, LeadingGroupPost
    from agencies.services import save_membership

    posts = list(LeadingGroupPost.objects.select_related("agency", "township"))
    by_unit = {
        (post.role, post.unit_label): post
        for post in posts
        if post.role != PostRole.OFFICE_DIRECTOR
    }
    wanted = [((PostRole.LEADER, ""), LEADING_GROUP_LEADER, "县分管副县长")]
    for code, name in LEADING_GROUP_DEPUTIES:
        post = next(
            p
            for p in posts
            if p.role == PostRole.DEPUTY_LEADER and p.agency and p.agency.code == code
        )
        wanted.append(((PostRole.DEPUTY_LEADER, post.unit_label), name, post.title))
    wanted += [((PostRole.MEMBER, unit), name, "分管领导") for unit, name in LEADING_GROUP_MEMBERS]
    added = 0
    for key, person, job_title in wanted:
        post = by_unit.get(key)
        if post is None or LeadingGroupMembership.objects.filter(post=post).exists():
            continue
        save_membership(
            membership=LeadingGroupMembership(
                post=post, person_name=person, job_title=job_title, start_date=start
            ),
            actor=admin,
        )
        added += 1
    return added


# What makes every page show something real: operators' licence and filing dates, cases
# spread over earlier quarters (some overdue, so escalated), and patrol tasks left unassigned.

# How many weeks back a demo case was reported: this week, overdue by a few weeks, and in the
# quarters before (whole weeks keep each date's weekday, so deadlines stay on working days
# except for a holiday in between).
CASE_AGES_WEEKS = [0, 0, 3, 6, 15, 28, 40]
CASE_DATETIMES = ("reported_at", "stage_started_at", "handling_started_at", "handled_at")
CASE_DATES = ("stage_deadline", "handling_deadline")


def licence_dates(*, rng, today: dt.date) -> dict:
    """A business licence and a filing with the commerce bureau, as a demo operator holds them:
    most valid for years, some expiring within the month, one in ten expired, one in five not
    filed yet (so the licence and filing reminders have something to tell)."""
    issued = today - dt.timedelta(days=rng.randrange(200, 1800))
    roll = rng.random()
    if roll < 0.1:
        until = today - dt.timedelta(days=rng.randrange(5, 60))
    elif roll < 0.25:
        until = today + dt.timedelta(days=rng.randrange(3, 30))
    else:
        until = issued + dt.timedelta(days=365 * rng.choice([3, 5, 10]))
    until = max(until, issued)
    filed = None
    if rng.random() >= 0.2:
        filed = min(issued + dt.timedelta(days=rng.randrange(10, 60)), today)
    return {
        "licence_issued_on": issued,
        "licence_valid_until": until,
        "filing_number": f"安商备（演示）{rng.randrange(10**5):05d}" if filed else "",
        "filed_on": filed,
    }


def age_demo_cases(*, rng, today: dt.date) -> dict:
    """Move the demo's cases (reported today by the services) back by whole weeks, with their
    reports, history of events and deadlines, so that earlier quarters have data and open cases
    are overdue; then run the escalation scan as the beat would. Returns the counts."""
    from inspections.escalation import escalate_overdue_cases
    from inspections.models import Case, CaseEvent, Inspection

    cases = list(Case.objects.order_by("pk"))
    moved = []
    for case in cases:
        weeks = rng.choice(CASE_AGES_WEEKS)
        if not weeks:
            continue
        back = dt.timedelta(weeks=weeks)
        for name in (*CASE_DATETIMES, *CASE_DATES, "closed_at", "created_at"):
            value = getattr(case, name)
            if value is not None:
                setattr(case, name, value - back)
        moved.append((case, back))
    Case.objects.bulk_update(
        [case for case, _back in moved],
        [*CASE_DATETIMES, *CASE_DATES, "closed_at", "created_at"],
    )
    events = []
    inspections = {}
    for case, back in moved:
        for event in case.events.all():
            event.at -= back
            events.append(event)
        for inspection in Inspection.objects.filter(findings__case=case).distinct():
            inspection.inspected_at = inspection.inspected_at - back
            inspection.created_at = inspection.created_at - back
            inspections[inspection.pk] = inspection
    CaseEvent.objects.bulk_update(events, ["at"])
    Inspection.objects.bulk_update(list(inspections.values()), ["inspected_at", "created_at"])
    escalated = escalate_overdue_cases(now=timezone.now())
    return {"aged": len(moved), "overdue": escalated["overdue"], "escalated": escalated["agency"]}


# Townships whose grid worker is away this period: their tasks wait for the township or the
# social governance centre to give them out (我的巡查 / 待分配巡查任务).
UNASSIGNED_TOWNSHIPS = 2


def leave_tasks_unassigned(*, today: dt.date) -> int:
    """Take this period's open patrol tasks of the last townships off their grid worker."""
    from inspections.models import PatrolTask

    townships = list(Township.objects.order_by("-code")[:UNASSIGNED_TOWNSHIPS])
    return PatrolTask.objects.filter(
        township__in=townships, status="open", assigned_to__isnull=False
    ).update(assigned_to=None)
