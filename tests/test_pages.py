"""Every page opens for every role, in Chinese, and lists run a fixed number of queries."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from agencies.models import Agency, AgencyDuty, DutyRule, LeadingGroupPost, ProblemCategory
from tests.urlconf import named_urls

pytestmark = pytest.mark.django_db

# Named URLs that are no page to open: answered by a redirect (the favicon, the login page of
# a signed-in user, the language switch), only to a POST, or only with a query (the map
# picker's WGS-84 preview: 400 without its numbers, tests/sites/test_position_preview.py).
NOT_PAGES = {
    "sites:position-wgs84": 400,
    "favicon": 302,
    "accounts:login": 302,
    "set_language": 302,
    "accounts:logout": 405,
    "accounts:notifications-read": 405,
    "trade:flag-clear": 405,
    "network:suggestion-adopt": 405,
    "inspections:cases-bulk-act": 405,
    "inspections:patrol-tasks-assign": 405,
}
PAGES = [name for name, args in named_urls().items() if not args and name not in NOT_PAGES]
PORTAL = "安吉县再生资源回收长效管理平台"


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_for_the_county_and_answers_every_role(client, users_by_role, name):
    """From the URLconf: every page without arguments opens for the commerce bureau, and
    answers every other role with the page (in Chinese) or a refusal, never an error. (The
    home page sends a grid worker on to 我的巡查.)"""
    for role, user in users_by_role.items():
        client.force_login(user)
        response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
        expected = {200} if role == Role.COMMERCE_ADMIN else {200, 403}
        assert response.status_code in expected, (role, response.status_code)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            assert PORTAL in response.content.decode(), role


@pytest.mark.parametrize(("name", "status"), NOT_PAGES.items())
def test_urls_that_are_no_page_redirect_or_want_a_post(client, leader, name, status):
    client.force_login(leader)
    assert client.get(reverse(name)).status_code == status


@pytest.fixture
def detail_objects(commerce_admin, dipu_grid_worker, dipu):
    """One object for each detail page (name → URL arguments)."""
    from agencies import meetings
    from agencies.models import Meeting, TownshipPopulation
    from assessments.models import AssessmentPeriod, AssessmentScheme
    from assessments.services import compute_period, open_period, record_deduction
    from inspections.joint import assemble_joint_action
    from inspections.services import FindingInput, file_inspection
    from sites.models import Material
    from tests.factories import make_operator, make_site
    from tests.network.conftest import make_project
    from tests.trade.conftest import add_materials, deliver
    from trade import services as trade_services

    site = make_site(actor=commerce_admin, operator=make_operator(actor=commerce_admin))
    piling = ProblemCategory.objects.get(code="appearance")
    inspection = file_inspection(
        site=site,
        inspector=dipu_grid_worker,
        result="problems",
        findings=[FindingInput(category=piling, description="门前堆放")],
    )
    case = inspection.findings.get().case
    meeting = meetings.plan_meeting(
        meeting=Meeting(
            title="联席会议", place="县商务局", convener="县商务局", starts_at=case.reported_at
        ),
        actor=commerce_admin,
    )
    scheme = AssessmentScheme.objects.get(code="long-term-management", version=1)
    period = open_period(scheme=scheme, kind="quarter", year=2026, quarter=1, actor=commerce_admin)
    deduction = record_deduction(
        period=period,
        township=dipu,
        indicator=scheme.indicators.get(kind="assessor_deductions"),
        points=1,
        reason="台账不全",
        actor=commerce_admin,
    )
    compute_period(period=AssessmentPeriod.objects.get(pk=period.pk), actor=commerce_admin)
    score = period.scores.filter(township=dipu).first()
    centre = add_materials(make_site(actor=commerce_admin, tier=1, name="县分拣中心"))
    station = add_materials(make_site(actor=commerce_admin, tier=2, parent=centre))
    point = add_materials(make_site(actor=commerce_admin, tier=3, parent=station))
    transfer = deliver(
        actor=commerce_admin,
        from_site=point,
        to_site=station,
        material=Material.objects.get(code="paper"),
    )
    settlement = trade_services.settle_transfers(
        payer=station,
        payee=point,
        period_start=transfer.transferred_on,
        period_end=transfer.transferred_on,
        transfers=[transfer],
        actor=commerce_admin,
    )
    project = make_project(actor=commerce_admin, township=dipu, village=site.village)
    subsidy, land_case = _support_rows(commerce_admin, site)
    notice, publicity = _outreach_rows(commerce_admin, site)
    population = TownshipPopulation.objects.create(
        township=dipu, year=2024, population=61234, source="演示数据", entered_by=commerce_admin
    )
    joint_action = assemble_joint_action(
        site=site,
        agencies=[Agency.objects.get(code="fire")],
        reason="联合整治",
        actor=commerce_admin,
    )
    return {
        "support:notice-detail": [notice.pk],
        "support:notice-history": [notice.pk],
        "support:publicity-detail": [publicity.pk],
        "support:publicity-history": [publicity.pk],
        "support:subsidy-detail": [subsidy.pk],
        "support:subsidy-history": [subsidy.pk],
        "support:land-detail": [land_case.pk],
        "support:land-history": [land_case.pk],
        "agencies:agency-detail": [Agency.objects.first().pk],
        "agencies:dutyrule-history": [DutyRule.objects.first().pk],
        "agencies:meeting-detail": [meeting.pk],
        "agencies:township-detail": [dipu.pk],
        "agencies:population-history": [population.pk],
        "assessments:deduction-detail": [deduction.pk],
        "assessments:period-detail": [period.pk],
        "assessments:period-history": [period.pk],
        "assessments:scheme-detail": [scheme.pk],
        "assessments:score-detail": [score.pk],
        "assessments:township-detail": [period.pk, dipu.pk],
        "inspections:case-detail": [case.pk],
        "inspections:inspection-detail": [inspection.pk],
        "inspections:joint-action-detail": [joint_action.pk],
        "sites:operator-detail": [site.operator_id],
        "sites:operator-history": [site.operator_id],
        "sites:site-detail": [site.pk],
        "sites:site-history": [site.pk],
        "trade:transfer-detail": [transfer.pk],
        "trade:transfer-history": [transfer.pk],
        "trade:settlement-detail": [settlement.pk],
        "trade:settlement-history": [settlement.pk],
        "network:project-detail": [project.pk],
        "network:project-history": [project.pk],
        "public-staff:report-detail": [_public_report(dipu).pk],
    }


def _public_report(township, photos=()):
    from public.models import PublicReport
    from public.services import file_public_report

    return file_public_report(
        report=PublicReport(
            kind="illegal_point",
            township=township,
            category=ProblemCategory.objects.get(code="appearance"),
            place="桥下",
            description="有人收购废品",
        ),
        photos=photos,
    )


def _support_rows(actor, site):
    import datetime as dt
    from decimal import Decimal

    from support.models import LandSupportCase, Subsidy
    from support.services import save_land_support, save_subsidy

    subsidy = save_subsidy(
        subsidy=Subsidy(
            operator=site.operator,
            basis_document="安财企〔2025〕1号",
            amount=Decimal("1000.00"),
            granted_on=dt.date(2025, 1, 2),
            purpose="建设补助",
        ),
        actor=actor,
    )
    land_case = save_land_support(
        case=LandSupportCase(
            site=site,
            kind="existing_plant",
            request="用地",
            requested_on=dt.date(2025, 1, 2),
            area=Decimal("100"),
        ),
        actor=actor,
    )
    return subsidy, land_case


def _outreach_rows(actor, site):
    import datetime as dt

    from support.models import AssociationNotice, PublicityActivity
    from support.services import publish_notice, record_publicity

    notice = publish_notice(
        notice=AssociationNotice(kind="training", title="培训通知", body="培训\n安排"),
        operators=[site.operator],
        actor=actor,
    )
    publicity = record_publicity(
        activity=PublicityActivity(
            held_on=dt.date(2026, 3, 1),
            township=site.township,
            form="offline",
            topic="法规宣传",
            audience="经营户",
        ),
        actor=actor,
    )
    return notice, publicity


DETAIL_PAGES = [
    name for name, args in named_urls().items() if args and name.endswith(("-detail", "-history"))
]


def test_every_detail_page_opens_for_the_county_and_answers_every_role(
    client, users_by_role, detail_objects
):
    """From the URLconf: every detail page (with a fixture object) opens for the commerce
    bureau and answers every other role with the page, a refusal or not-found (out of its
    scope), never an error."""
    assert sorted(detail_objects) == sorted(DETAIL_PAGES), "a detail page without a fixture"
    for name, args in detail_objects.items():
        url = reverse(name, args=args)
        for role, user in users_by_role.items():
            client.force_login(user)
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
            expected = {200} if role == Role.COMMERCE_ADMIN else {200, 403, 404}
            assert response.status_code in expected, (name, role, response.status_code)
            if response.status_code == 200:
                assert PORTAL in response.content.decode(), (name, role)


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("agencies:agency-update", Agency),
        ("agencies:duty-update", AgencyDuty),
        ("agencies:dutyrule-update", DutyRule),
        ("agencies:category-update", ProblemCategory),
    ],
)
def test_only_the_commerce_admin_opens_organisation_edit_pages(
    client, commerce_admin, dipu_officer, name, model
):
    url = reverse(name, args=[model.objects.first().pk])
    client.force_login(dipu_officer)
    assert client.get(url).status_code == 403
    client.force_login(commerce_admin)
    assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("agencies:village-list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_login_page_is_in_chinese(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录" in page


def test_commerce_admin_appoints_a_member_in_the_portal(client, commerce_admin):
    post = LeadingGroupPost.objects.get(role="leader")
    client.force_login(commerce_admin)

    response = client.post(
        reverse("agencies:membership-create", args=[post.pk]),
        {"person_name": "李组长", "job_title": "副县长", "start_date": "2026-03-01"},
    )

    assert response.status_code == 302
    page = client.get(reverse("agencies:leading-group")).content.decode()
    assert "李组长" in page


def test_commerce_admin_sets_a_villages_code_in_the_portal(client, commerce_admin):
    from agencies.models import Village

    village = Village.objects.get(code="330523001205")
    client.force_login(commerce_admin)
    response = client.post(
        reverse("agencies:village-update", args=[village.pk]),
        {
            "code": village.code,
            "name": village.name,
            "short_name": village.short_name,
            "township": village.township_id,
            "kind": village.kind,
            "urban_rural_code": "220",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    village.refresh_from_db()
    assert village.urban_rural_code == "220"
    assert village.urban_rural_source == "admin"
    assert village.history.latest().history_user == commerce_admin


@pytest.mark.parametrize(
    "name",
    [
        "agencies:village-list",
        "agencies:dutyrule-list",
        "agencies:agency-list",
        "agencies:township-list",
        "agencies:leading-group",
        "agencies:village-data-quality",
        "home",
        "dashboards:dashboard",
    ],
)
def test_pages_run_a_fixed_number_of_queries(client, leader, name, django_assert_max_num_queries):
    client.force_login(leader)
    # The dashboard: one more for its market figures (trade.selectors), two for the network
    # projects (network.selectors), one for the figure cache's write counter (a miss here).
    with django_assert_max_num_queries(16 if name == "dashboards:dashboard" else 12):
        assert client.get(reverse(name)).status_code == 200


def test_commerce_admin_opens_every_create_and_edit_page(
    client, commerce_admin, dipu, dipu_village
):
    from agencies.models import LeadingGroupMembership
    from tests.factories import MembershipFactory

    membership = MembershipFactory()
    assert LeadingGroupMembership.objects.filter(pk=membership.pk).exists()
    client.force_login(commerce_admin)
    urls = [
        reverse("agencies:village-create"),
        reverse("agencies:dutyrule-create"),
        reverse("agencies:category-create"),
        reverse("agencies:membership-create", args=[LeadingGroupPost.objects.first().pk]),
        reverse("agencies:township-update", args=[dipu.pk]),
        reverse("agencies:village-update", args=[dipu_village.pk]),
        reverse("agencies:membership-update", args=[membership.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()


# Detail pages of rows a township officer may read county-wide (the organisation, a township's
# reference data with its villages scoped, the duty table, the joint meetings, the assessment
# schemes and periods).
COUNTY_WIDE_PAGES = {
    "agencies:agency-detail",
    "agencies:township-detail",
    "agencies:population-history",  # a township's population: organisation data
    "agencies:dutyrule-history",
    "agencies:meeting-detail",
    "assessments:scheme-detail",
    "assessments:period-detail",
    "assessments:period-history",
}


def test_another_townships_officer_opens_none_of_a_townships_detail_pages(
    client, detail_objects, changshuo_officer_for_pages
):
    """The rows above are 递铺's: 昌硕's officer gets 403 or 404 on each of their pages (and
    history pages), but for the county-wide ones."""
    client.force_login(changshuo_officer_for_pages)
    answered = {}
    for name, args in detail_objects.items():
        response = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="zh-hans")
        answered[name] = response.status_code
    opened = {name for name, status in answered.items() if status == 200}
    assert opened <= COUNTY_WIDE_PAGES, answered
    assert len(opened) >= 5  # the check asks real pages of real rows
    assert set(answered.values()) <= {200, 403, 404}, answered


@pytest.fixture
def changshuo_officer_for_pages(db):
    from tests.conftest import CHANGSHUO
    from tests.factories import make_user

    return make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)


# What an attacker or a mistyped link sends: a page far past the end, year 0, a huge page
# size, numbers that are no numbers, unicode garbage and NUL bytes.
ABSURD_QUERY = {
    "page": str(10**9),
    "year": "0",
    "month": "13",
    "quarter": "-1",
    "per_page": str(10**12),
    "page_size": str(10**12),
    "limit": str(10**12),
    "offset": "-5",
    "township": "递铺'; DROP TABLE--",
    "status": "💥" * 50,
    "q": "\u202e<script>\x00" + "漢" * 500,
    "date_from": "2026-02-30",
    "date_to": "99999-01-01",
    "ordering": "-password",
}


@pytest.mark.parametrize("name", PAGES)
def test_absurd_query_parameters_answer_a_page_not_an_error(client, dipu_officer, name):
    """Every page (and export) without arguments, as a township officer, with every absurd
    parameter at once: a page, a refusal or a redirect, never a 500."""
    client.force_login(dipu_officer)
    response = client.get(reverse(name), ABSURD_QUERY, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code in {200, 302, 400, 403, 404}, response.status_code


def test_a_nul_in_a_query_parameter_is_refused_in_chinese(client, dipu_officer):
    client.force_login(dipu_officer)
    for url in ["/search/", "/public/", "/api/v1/public/sites/", "/api/v1/sites/"]:
        response = client.get(url, {"q": "废\x00纸"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400, url
        assert "无效字符" in response.content.decode(), url


# Every other named URL with arguments, walked from the URLconf: an integer primary key is
# resolved to a row of the view's model (its class-based view's model, else the model named
# here, else the row of the same noun's detail page), then opened by every role.
ARGUMENT_MODELS = {
    "accounts:notification-open": "accounts.Notification",
    "agencies:action-item-create": "agencies.Meeting",
    "agencies:action-item-progress": "agencies.ActionItem",
    "agencies:action-item-complete": "agencies.ActionItem",
    "agencies:holiday-delete": "agencies.HolidayArrangement",
    "agencies:population-create": "agencies.Township",
    "trade:site-market": "sites.Site",
    "network:photo-add": "network.NetworkProject",
    "network:township-progress": "agencies.Township",
    "assessments:deduction-create": "assessments.AssessmentPeriod",
    "assessments:objection-file": "assessments.Deduction",
    "public:site": "sites.Site",
    "public-staff:report-photo": "public.PublicReportPhoto",
    "public-staff:placard-site": "sites.Site",
    "inspections:report-file": "sites.Site",
    "inspections:site-compliance": "sites.Site",
    "inspections:patrol-plan-edit": "inspections.PatrolPlan",
    "inspections:case-part-done": "inspections.Case",
    "inspections:case-part-waive": "inspections.Case",
    "inspections:case-joint-inspection": "inspections.Case",
    "inspections:site-joint-actions": "sites.Site",
    "inspections:site-joint-assemble": "sites.Site",
    "agencies:membership-create": "agencies.LeadingGroupPost",
}
# Named URLs the walk leaves out, each with its reason.
SKIPPED_URLS = {
    "agencies:calendar-year-complete": "a year, no row; POST only (test_calendar)",
    "agencies:calendar-year-reopen": "a year, no row; POST only (test_calendar)",
    "sites:import-review": "an import job of the uploading user (tests/sites import tests)",
    "sites:import-marked": "an import job of the uploading user (tests/sites import tests)",
    "sites:job-status": "a background job of its user (tests/sites job tests)",
    "sites:job-download": "a background job of its user (tests/sites job tests)",
    "assessments:run-status": "a computation run of its user (tests/assessments)",
    "public:report-status": "a reporter's secret token, no pk (tests/public)",
    "public-staff:placard-township": "a township code, no pk (tests/public placards)",
    "inspections:joint-action-step": "a step name besides the pk; POST only "
    "(tests/inspections/test_site_joint_action.py)",
    # No row in this walk's fixture yet (each has its own scoped-file or workflow tests).
    "accounts:api-token-revoke": "no token row yet; POST only",
    "assessments:evidence-file": "no deduction evidence row yet",
    "assessments:objection-decide": "no objection row yet",
    "inspections:evidence-file": "no case evidence row yet",
    "inspections:patrol-task-assign": "no patrol task row yet",
    "inspections:request-decide": "no extension request row yet",
    "network:photo-file": "no project photo row yet",
    "sites:photo-file": "no site photo row yet",
}


def _view_model(name):
    from django.urls import resolve

    view = resolve(_placeholder_url(name)).func
    return getattr(getattr(view, "view_class", None), "model", None)


def _placeholder_url(name):
    return reverse(name, kwargs=dict.fromkeys(named_urls()[name], 1))


def _row_model(name):
    """The model whose row the URL's integer argument names, or None when it cannot be told."""
    from django.apps import apps

    if name in ARGUMENT_MODELS:
        return apps.get_model(ARGUMENT_MODELS[name])
    return _view_model(name)


def _same_noun_detail(name):
    namespace, _, rest = name.partition(":")
    detail = f"{namespace}:{rest.rsplit('-', 1)[0]}-detail"
    return detail if detail in DETAIL_PAGES else None


ARGUMENT_PAGES = [
    name
    for name, args in named_urls().items()
    if args and name not in DETAIL_PAGES and name not in SKIPPED_URLS
]


def test_every_named_url_is_walked_or_skipped_with_a_reason():
    """A new named URL fails here until the walk covers it or SKIPPED_URLS says why not."""
    unknown = [
        name
        for name in ARGUMENT_PAGES
        if len(named_urls()[name]) != 1 or not (_row_model(name) or _same_noun_detail(name))
    ]
    assert not unknown, f"walk these (ARGUMENT_MODELS) or skip them with a reason: {unknown}"
    walked = set(PAGES) | set(NOT_PAGES) | set(DETAIL_PAGES) | set(ARGUMENT_PAGES)
    assert set(named_urls()) == walked | set(SKIPPED_URLS)
    assert not set(SKIPPED_URLS) - set(named_urls()), "a skipped URL that no longer exists"


def test_every_page_with_a_row_answers_every_role_without_an_error(
    client, users_by_role, detail_objects
):
    """From the URLconf: every other page with an argument (edit pages, actions, files,
    exports), on a real row, answers every role with a page, a redirect, a refusal, not-found
    or (for an action) 'POST only', never an error."""
    from tests import filled_rows
    from tests.factories import MembershipFactory

    MembershipFactory()
    people = filled_rows.People()
    filled_rows.action_item(people, True)
    filled_rows.patrol_plan(people, True)
    filled_rows.holiday_arrangement(people, True)
    answered = {}
    for name in ARGUMENT_PAGES:
        model = _row_model(name)
        row = model.objects.order_by("pk").first() if model else None
        if row is not None:
            args = [row.pk]
        else:
            args = detail_objects.get(_same_noun_detail(name) or "", [])[:1]
        if not args:
            answered[name] = "no row"
            continue
        for user in users_by_role.values():
            client.force_login(user)
            status = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="zh-hans")
            answered.setdefault(name, set()).add(status.status_code)
    bad = {
        name: statuses
        for name, statuses in answered.items()
        if statuses == "no row" or not statuses <= {200, 302, 403, 404, 405}
    }
    if bad:
        pytest.fail(repr(sorted(bad.items())))


@pytest.mark.parametrize("status", [404, 403])
def test_refusals_are_pages_in_chinese(client, dipu_officer, commerce_admin, status):
    from tests.conftest import CHANGSHUO
    from tests.factories import make_site

    other = make_site(actor=commerce_admin, township_code=CHANGSHUO, name="昌硕的点")
    client.force_login(dipu_officer)
    address = f"/sites/{other.pk}/" if status == 404 else "/admin/agencies/dutyrule/add/"

    page = client.get(address)

    assert page.status_code == status
    text = page.content.decode()
    assert "Not Found" not in text and "Forbidden" not in text
    assert ("页面不存在" if status == 404 else "无权访问") in text
