"""Two web processes and two workers (and one beat) share nothing but PostgreSQL, Redis and
the bucket: a case goes from 上报 to 结案 with every request alternating between the web
processes, as the people of each stage, while the beat's sweeps run again and again on both
workers, and every reminder and email goes out exactly once."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import EmailState, NotificationKind
from accounts.models import Notification
from agencies import meetings
from agencies.models import Agency, Meeting, Schedule, Village
from inspections.choices import CaseStatus
from inspections.models import Case, CaseEscalation, Evidence
from inspections.services import transition_case
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_operator, make_site, make_user, png_bytes
from tests.inspections.conftest import category, report

from .topology import WORKERS, sent_emails, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SWEEPS = (
    "accounts.send_notification_emails",
    "inspections.generate_patrol_tasks",
    "inspections.escalate_overdue_cases",
    "agencies.send_meeting_reminders",
    "agencies.remind_overdue_action_items",
    "sites.remind_licences",
)
SWEEPS_AFTER_SENDING = 3  # each sweep runs this many more times once everything was sent
DOMAIN = "scale-out.test"  # the addresses of this test's people, to count their emails


def person(role, name, **where):
    return make_user(role, username=name, email=f"{name}@{DOMAIN}", **where)


@pytest.fixture
def people(transactional_portal_data):
    return {
        "admin": person("commerce_admin", "admin", agency_code="commerce"),
        "grid": person("grid_worker", "grid", township_code=DIPU),
        "dipu": person("township_officer", "dipu", township_code=DIPU),
        "urban": person("agency_officer", "urban", agency_code="urban"),
        "market": person("agency_officer", "market", agency_code="market"),
        "leader": person("leader", "leader"),
        "changshuo": person("township_officer", "changshuo", township_code=CHANGSHUO),
    }


def due_reminders(people) -> dict:
    """Work the sweeps will find due today, whatever the hour: a meeting in two days (its
    reminder went out yesterday morning), an action item two days overdue, a licence that
    expires in ten days, a case two weeks past its handling deadline."""
    admin, today = people["admin"], timezone.localdate()
    Schedule.objects.filter(pk=Schedule.current().pk).update(
        meeting_reminder_days=3, licence_reminder_days=30, escalation_delay_days=3
    )
    market = Agency.objects.get(code="market")
    starts_at = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=2), dt.time(14)))
    planned = meetings.plan_meeting(
        meeting=Meeting(title="联席会议", starts_at=starts_at, place="县商务局", convener="商务局"),
        actor=admin,
        invited_agencies=[market],
        invitees=[people["leader"]],
    )
    held = meetings.plan_meeting(
        meeting=Meeting(
            title="上次联席会议",
            starts_at=timezone.now() - dt.timedelta(days=10),
            place="县商务局",
            convener="商务局",
        ),
        actor=admin,
        invited_agencies=[market],
    )
    held = meetings.record_meeting(
        meeting=held, actor=admin, present_agencies=[market], minutes="纪要", decisions="决定"
    )
    meetings.add_action_item(
        meeting=held,
        agency=market,
        description="清理无照回收点",
        due_on=today - dt.timedelta(days=2),
        actor=admin,
    )
    make_operator(
        actor=admin,
        seed=7,
        licence_issued_on=today - dt.timedelta(days=300),
        licence_valid_until=today + dt.timedelta(days=10),
        filed_on=today - dt.timedelta(days=290),
    )
    (late,) = report(make_site(actor=admin), people["grid"], "unlicensed")
    for action in ("register", "dispatch"):
        late = transition_case(case=late, action=action, actor=people["dipu"])
    Case.objects.filter(pk=late.pk).update(stage_deadline=today - dt.timedelta(days=14))
    return {"meeting": planned, "late_case": late}


def sweep_runs(topology) -> dict[str, Counter]:
    return {worker: Counter(totals) for worker, totals in topology.task_totals().items()}


def test_a_case_goes_from_report_to_closed_across_two_web_processes_and_two_workers_remind_once(
    topology, browser, people
):
    seeded = due_reminders(people)
    runs_before = sweep_runs(topology)
    site = make_site(actor=people["admin"], village=Village.objects.get(code="330523001018"))
    photo, document = png_bytes((200, 60, 40)), png_bytes((20, 60, 200))

    # 上报: the grid worker files the report on one process, with the form from the other.
    grid = browser(people["grid"])
    grid.log_in(0)
    form = grid.get(1, reverse("inspections:report-file", args=[site.pk]))
    assert form.status_code == 200
    inspected_at = timezone.localtime() - dt.timedelta(hours=1)
    filed = grid.post(
        0,
        reverse("inspections:report-file", args=[site.pk]),
        data={
            "inspected_at": inspected_at.strftime("%Y-%m-%dT%H:%M"),
            "result": "problems",
            "findings-TOTAL_FORMS": "1",
            "findings-INITIAL_FORMS": "0",
            "findings-MIN_NUM_FORMS": "0",
            "findings-MAX_NUM_FORMS": "20",
            "findings-0-category": category("appearance").pk,
            "findings-0-description": "货物堆放在店外人行道上",
        },
        files={"findings-0-photos": ("现场.png", photo, "image/png")},
        allow_redirects=False,
    )
    assert filed.status_code == 302, filed.text[:3000]
    case = Case.objects.get(site=site)
    assert (case.status, case.lead_agency.code) == (CaseStatus.REPORTED, "urban")

    # Each stage by its people, the page read on one process and the action posted to the
    # other; the session and the CSRF token travel between them.
    township, urban, admin = (browser(people[key]) for key in ("dipu", "urban", "admin"))
    township.log_in(1)
    urban.log_in(0)
    admin.log_in(1)
    stages = [
        (township, "register", CaseStatus.REGISTERED),
        (township, "dispatch", CaseStatus.DISPATCHED),
        (urban, "accept", CaseStatus.HANDLING),
        (urban, "finish", CaseStatus.HANDLED),
        (township, "verify_pass", CaseStatus.VERIFIED),
        (admin, "close", CaseStatus.CLOSED),
    ]
    for step, (user, action, status) in enumerate(stages):
        page_on, post_to = step % 2, (step + 1) % 2
        page = user.get(page_on, case.get_absolute_url())
        assert f'value="{action}"' in page.text, (user.username, action)
        files = {"attachments": ("处置照片.png", document, "image/png")}
        moved = user.post(
            post_to,
            reverse("inspections:case-act", args=[case.pk]),
            data={"action": action, "comment": f"{action} 完成"},
            files=files if action == "finish" else None,
            allow_redirects=False,
        )
        assert moved.status_code == 302
        case.refresh_from_db()
        assert case.status == status, (action, user.get(post_to, case.get_absolute_url()).text)

    assert list(case.events.order_by("at", "pk").values_list("action", "actor__username")) == [
        ("reported", "grid"),
        ("register", "dipu"),
        ("dispatch", "dipu"),
        ("accept", "urban"),
        ("finish", "urban"),
        ("verify_pass", "dipu"),
        ("close", "admin"),
    ]
    # Both photos are in the bucket and served by either process to the township, not to
    # another township.
    evidence = {item.file.name: item for item in Evidence.objects.filter(finding__case=case)}
    evidence.update({item.file.name: item for item in Evidence.objects.filter(event__case=case)})
    assert len(evidence) == 2
    assert set(evidence) <= set(topology.bucket_keys())
    other = browser(people["changshuo"])
    other.log_in(0)
    served = {
        township.get(web, item.get_absolute_url()).content
        for web, item in enumerate(evidence.values())
    }
    assert served == {photo, document}
    for web in (0, 1):
        for item in evidence.values():
            assert other.get(web, item.get_absolute_url()).status_code == 404

    # Reminders and emails: everything due is in the inbox and emailed ...
    ours = Notification.objects.filter(recipient__email__endswith=f"@{DOMAIN}")
    expected = {
        NotificationKind.MEETING_REMINDER: {"market", "leader"},
        NotificationKind.ACTION_ITEM: {"market"},
        NotificationKind.LICENCE_EXPIRING: {"dipu"},
        NotificationKind.CASE_OVERDUE: {"market"},
        NotificationKind.CASE_ESCALATED: {"admin"},
        NotificationKind.PATROL_TASK: {"grid"},
    }

    def all_sent():
        kinds = {
            kind: set(ours.filter(kind=kind).values_list("recipient__username", flat=True))
            for kind in expected
        }
        waiting = ours.exclude(email_state=EmailState.SENT).exists()
        return kinds == expected and not waiting

    wait_until(all_sent, timeout=60, what="every reminder to be sent")

    # ... and stays sent once, however often both workers sweep again.
    runs_sent = sweep_runs(topology)

    def swept_again():
        runs = sweep_runs(topology)
        again = {
            sweep: sum(runs[w][sweep] - runs_sent.get(w, Counter())[sweep] for w in runs)
            for sweep in SWEEPS
        }
        return min(again.values()) >= SWEEPS_AFTER_SENDING and runs

    runs_after = wait_until(swept_again, timeout=90, what="the sweeps to run again")
    for worker in WORKERS:  # both workers took part in the sweeping
        took = runs_after[worker] - runs_before.get(worker, Counter())
        assert sum(took[sweep] for sweep in SWEEPS) > 0, (worker, runs_after)

    emails = [(to, subject) for to, subject in sent_emails(topology.email_dir) if DOMAIN in to]
    notified = [(n.recipient.email, n.title) for n in ours.select_related("recipient")]
    assert Counter(emails) == Counter(notified)
    assert set(ours.values_list("email_attempts", flat=True)) == {1}
    assert ours.filter(kind=NotificationKind.MEETING_REMINDER).count() == 2
    assert CaseEscalation.objects.filter(case=seeded["late_case"]).count() == 2
