"""案件台账 (the case ledger export) and the extension and postponement register: the rows the
queues show, scoped to the agency or township, in a fixed number of queries."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from accounts.models import SecurityEvent
from agencies.models import Agency, Village
from anji_recycling.anji_time import ANJI
from inspections.choices import Actor, CaseStatus
from inspections.models import Case
from inspections.services import decide_request, request_more_time
from tests.factories import UserFactory, make_site, make_user

from .conftest import category, report
from .test_case_lifecycle import bring_to

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)  # Friday 27 November 2026, 10:00 in Anji
CHANGLE = "330523001018"  # 长乐社区, built-up, 递铺街道

CHINESE_HEADERS = [
    "案件编号",
    "上报时间",
    "站点编号",
    "站点名称",
    "乡镇（街道）",
    "村（社区）",
    "问题类别",
    "区域",
    "牵头部门",
    "协办部门",
    "联合检查到场部门",
    "状态",
    "当前环节",
    "环节时限",
    "环节时限暂定",
    "是否超期",
    "处置时限",
    "处置时限暂定",
    "退回次数",
    "结案时间",
    "按期结案",
    "问题描述",
]
ENGLISH_HEADERS = [
    "Case number",
    "Reported at",
    "Site number",
    "Site name",
    "Township",
    "Village or community",
    "Problem category",
    "Area",
    "Lead",
    "Assisting agencies",
    "Agencies present at the joint inspection",
    "Status",
    "Current stage",
    "Stage deadline",
    "Stage deadline provisional",
    "Overdue",
    "Handling deadline",
    "Handling deadline provisional",
    "Times returned",
    "Closed at",
    "Closed on time",
    "Description",
]


@pytest.fixture
def dipu_site(commerce_admin):
    def make():
        return make_site(actor=commerce_admin, village=Village.objects.get(code=CHANGLE))

    return make


@pytest.fixture
def changshuo_officer(db):
    return make_user("township_officer", township_code="330523002")


@pytest.fixture
def cases(commerce_admin, dipu_site, dipu_grid_worker, changshuo_village):
    """At 递铺: fire hazard and unlicensed trading at one site (消防 and 市场监管 each lead one
    and assist the other), piling at another (综合执法), poor management at a third (the
    township leads). At 昌硕: pollution (生态环境)."""
    with time_machine.travel(dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.UTC), tick=False):
        fire, market = report(dipu_site(), dipu_grid_worker, "fire_hazard", "unlicensed")
        (piling,) = report(dipu_site(), dipu_grid_worker, "appearance")
        (township_led,) = report(dipu_site(), dipu_grid_worker, "poor_management")
        changshuo_site = make_site(
            actor=commerce_admin, township_code="330523002", village=changshuo_village
        )
        changshuo_grid = make_user("grid_worker", township_code="330523002")
        (changshuo,) = report(changshuo_site, changshuo_grid, "pollution")
    return {
        "fire": fire,
        "market": market,
        "piling": piling,
        "township_led": township_led,
        "changshuo": changshuo,
    }


def _as_in_excel(*args) -> dt.datetime:
    """A time in Anji as the workbook holds it: Excel has no time zones."""
    return dt.datetime(*args, tzinfo=ANJI).replace(tzinfo=None)


def _without_role():
    user = UserFactory()
    user.save()
    return user


def _ledger(client, user, language="en", **params):
    """The ledger as `user` downloads it, in `language` (the language switch's cookie)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("inspections:case-ledger"), params)
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _rows(workbook):
    """The table under the title row, without its 序号 column."""
    sheet = workbook.worksheets[0]
    return [[cell.value for cell in row][1:] for row in sheet.iter_rows(min_row=2)]


def _numbers(workbook):
    return {row[0] for row in _rows(workbook)[1:]}


def test_ledger_holds_exactly_the_filtered_cases_laid_out_column_by_column(
    client, commerce_admin, cases
):
    fire = cases["fire"]
    response, workbook = _ledger(client, commerce_admin, category=fire.category_id)

    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert quote("案件台账_20261127.xlsx") in response["Content-Disposition"]
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "B3"
    assert sheet.column_dimensions["W"].width >= 30
    header, *rows = _rows(workbook)
    assert header == ENGLISH_HEADERS
    assert rows == [
        [
            fire.number,
            _as_in_excel(2026, 11, 2, 9, 30),
            fire.site.code,
            fire.site.name,
            "递铺街道",
            str(fire.village),
            "消防隐患",
            "Built-up area",
            "县消防救援大队",
            "县市场监管局",
            None,  # not found at a joint inspection
            "Reported",
            "Registering",
            _as_in_excel(2026, 11, 3),
            None,  # not provisional: 2026 is known
            "Yes",  # registering was due on Tuesday 3 November
            None,
            None,
            0,
            None,
            None,
            "发现fire_hazard问题",
        ]
    ]


def test_ledger_follows_every_filter_of_the_queue(client, commerce_admin, cases, dipu):
    _response, everything = _ledger(client, commerce_admin)
    _response, at_dipu = _ledger(client, commerce_admin, township=dipu.pk)
    _response, fire_agency = _ledger(
        client, commerce_admin, agency=Agency.objects.get(code="fire").pk
    )

    assert _numbers(everything) == {case.number for case in cases.values()}
    assert _numbers(at_dipu) == {case.number for key, case in cases.items() if key != "changshuo"}
    assert _numbers(fire_agency) == {cases["fire"].number, cases["market"].number}


def test_ledger_shows_the_township_as_lead_and_a_closed_case_with_its_times(
    client, commerce_admin, dipu_officer, fire_officer, cases
):
    fire = cases["fire"]
    people = {
        Actor.COMMERCE: commerce_admin,
        Actor.TOWNSHIP: dipu_officer,
        Actor.LEAD: fire_officer,
    }
    with time_machine.travel(dt.datetime(2026, 11, 3, 1, 0, tzinfo=dt.UTC), tick=False):
        fire = bring_to(fire, CaseStatus.CLOSED, people)

    _response, workbook = _ledger(client, commerce_admin)
    rows = {row[0]: row for row in _rows(workbook)[1:]}

    closed = rows[fire.number]
    assert closed[10] is None  # not found at a joint inspection
    assert closed[11:16] == ["Closed", None, None, None, "No"]
    assert closed[16] is not None  # the handling deadline stays on record
    assert closed[19:21] == [_as_in_excel(2026, 11, 3, 9, 0), "Yes"]
    township_led = rows[cases["township_led"].number]
    assert township_led[8] == "递铺街道"
    assert township_led[9] is None


def test_the_printed_ledger_has_a_title_row_with_its_scope_and_date_and_numbered_rows(
    client, commerce_admin, dipu_officer, cases, dipu
):
    _response, workbook = _ledger(client, dipu_officer, language="zh-hans")
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "案件台账（递铺街道） 截至 2026年11月27日"
    assert sheet.print_title_rows == "$2:$2"
    assert [sheet.cell(row=row, column=1).value for row in range(2, sheet.max_row + 1)] == [
        "序号",
        *range(1, sheet.max_row - 1),
    ]
    _response, workbook = _ledger(client, commerce_admin, language="zh-hans")
    assert workbook.worksheets[0]["A1"].value == "案件台账（安吉县） 截至 2026年11月27日"


def test_ledger_headers_are_chinese(client, commerce_admin, cases):
    _response, workbook = _ledger(client, commerce_admin, language="zh-hans")
    assert _rows(workbook)[0] == CHINESE_HEADERS


def test_an_agency_ledger_holds_the_cases_it_leads_or_assists(client, fire_officer, cases):
    _response, workbook = _ledger(client, fire_officer)
    assert _numbers(workbook) == {cases["fire"].number, cases["market"].number}

    _response, filtered_outside = _ledger(
        client, fire_officer, township=cases["changshuo"].township_id
    )
    assert _numbers(filtered_outside) == set()


def test_a_township_ledger_holds_its_own_cases(client, dipu_officer, changshuo_officer, cases):
    _response, dipu_ledger = _ledger(client, dipu_officer)
    _response, changshuo_ledger = _ledger(client, changshuo_officer)

    assert _numbers(dipu_ledger) == {
        case.number for key, case in cases.items() if key != "changshuo"
    }
    assert _numbers(changshuo_ledger) == {cases["changshuo"].number}


def test_ledger_export_is_logged_and_needs_a_role(client, commerce_admin, cases):
    _ledger(client, commerce_admin)
    event = SecurityEvent.objects.get(kind="export", user=commerce_admin)
    assert event.detail == "案件台账_20261127.xlsx"

    client.force_login(_without_role())
    assert client.get(reverse("inspections:case-ledger")).status_code == 403
    client.logout()
    assert client.get(reverse("inspections:case-ledger")).status_code == 302


@pytest.mark.parametrize("count", [1, 25])
def test_ledger_runs_a_fixed_number_of_queries(
    client, commerce_admin, dipu_site, dipu_grid_worker, count, django_assert_max_num_queries
):
    for _ in range(count // 2):  # joint reports: every case has an assisting agency
        report(dipu_site(), dipu_grid_worker, "fire_hazard", "unlicensed")
    for _ in range(count % 2):
        report(dipu_site(), dipu_grid_worker, "appearance")
    assert Case.objects.count() == count
    client.force_login(commerce_admin)
    fire_hazard = category("fire_hazard").pk

    # Session and user, the filter's category, the cases, their assisting agencies, their
    # findings with the reports, the agencies present at those, the security log, the session
    # saved again (in a savepoint): whatever the number of cases.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("inspections:case-ledger"), {"category": fire_hazard})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(_rows(workbook)) == 1 + count // 2


# The extension and postponement register ---------------------------------------------------


@pytest.fixture
def time_requests(cases, commerce_admin, dipu_officer, fire_officer, market_officer, urban_officer):
    """On the fire case: an extension approved, a postponement refused, an extension waiting.
    An extension approved on the market case (fire assists) and on the piling case (urban);
    one waiting on the 昌硕 case."""

    def handling(case, lead, township_officer=dipu_officer):
        people = {
            Actor.COMMERCE: commerce_admin,
            Actor.TOWNSHIP: township_officer,
            Actor.LEAD: lead,
        }
        return bring_to(case, CaseStatus.HANDLING, people)

    def ask(case, lead, kind="extension", days=5, approve=None):
        request = request_more_time(
            case=case, kind=kind, days=days, reason="需联合执法", actor=lead
        )
        if approve is not None:
            decide_request(request=request, approve=approve, actor=commerce_admin, comment="已阅")
        return request

    with time_machine.travel(dt.datetime(2026, 11, 4, 2, 0, tzinfo=dt.UTC)):
        fire = handling(cases["fire"], fire_officer)
        market = handling(cases["market"], market_officer)
        piling = handling(cases["piling"], urban_officer)
        changshuo_lead = make_user("agency_officer", agency_code="ecology")
        changshuo_officer = make_user("township_officer", township_code="330523002")
        changshuo = handling(cases["changshuo"], changshuo_lead, changshuo_officer)
        return {
            "fire_approved": ask(fire, fire_officer, approve=True),
            "fire_refused": ask(fire, fire_officer, kind="postponement", days=20, approve=False),
            "fire_pending": ask(fire, fire_officer, days=3),
            "market_approved": ask(market, market_officer, approve=True),
            "piling_approved": ask(piling, urban_officer, approve=True),
            "changshuo_pending": ask(changshuo, changshuo_lead),
        }


def _register(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("inspections:request-register"), params)
    assert response.status_code == 200
    return response, set(response.context["object_list"])


def test_register_lists_every_request_with_its_decision(client, commerce_admin, time_requests):
    response, listed = _register(client, commerce_admin)
    assert listed == set(time_requests.values())

    approved = time_requests["fire_approved"]
    approved.refresh_from_db()
    page = response.content.decode()
    case_url = reverse("inspections:case-detail", args=[approved.case_id])
    assert f'href="{case_url}"' in page
    assert approved.old_deadline is not None
    assert approved.new_deadline > approved.old_deadline
    assert f"{approved.old_deadline:%Y-%m-%d}" in page
    assert f"{approved.new_deadline:%Y-%m-%d}" in page


def test_register_filters_by_state_and_kind(client, commerce_admin, time_requests):
    _response, approved = _register(client, commerce_admin, state="approved")
    _response, refused = _register(client, commerce_admin, state="refused")
    _response, pending = _register(client, commerce_admin, state="pending")
    _response, postponements = _register(client, commerce_admin, kind="postponement")

    assert approved == {
        time_requests["fire_approved"],
        time_requests["market_approved"],
        time_requests["piling_approved"],
    }
    assert refused == postponements == {time_requests["fire_refused"]}
    assert pending == {time_requests["fire_pending"], time_requests["changshuo_pending"]}


def test_register_is_scoped_through_the_cases(
    client, fire_officer, dipu_officer, urban_officer, time_requests
):
    _response, for_fire = _register(client, fire_officer)
    _response, for_dipu = _register(client, dipu_officer)
    _response, for_urban = _register(client, urban_officer)

    assert for_fire == {
        time_requests["fire_approved"],
        time_requests["fire_refused"],
        time_requests["fire_pending"],
        time_requests["market_approved"],
    }
    assert for_dipu == set(time_requests.values()) - {time_requests["changshuo_pending"]}
    assert for_urban == {time_requests["piling_approved"]}


def test_register_shows_nothing_to_a_user_without_a_role(client, time_requests):
    _response, listed = _register(client, _without_role())
    assert listed == set()


def test_register_runs_a_fixed_number_of_queries(
    client, commerce_admin, time_requests, django_assert_max_num_queries
):
    client.force_login(commerce_admin)
    with django_assert_max_num_queries(9):  # +1: the holiday reminder commerce admins see
        response = client.get(reverse("inspections:request-register"), {"state": "approved"})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 3


@pytest.mark.parametrize("role", list(Role))
def test_ledger_and_register_open_for_every_role(client, users_by_role, cases, role):
    client.force_login(users_by_role[role])
    register = client.get(reverse("inspections:request-register"))
    ledger = client.get(reverse("inspections:case-ledger"))

    assert register.status_code == 200
    assert "安吉县再生资源回收长效管理平台" in register.content.decode()
    assert ledger.status_code == 200
    load_workbook(io.BytesIO(b"".join(ledger.streaming_content)))
