"""The admin has no back door around `visible_to`: a township officer (and an agency officer)
who asks any admin URL that takes an object id (change, delete, the log history, the
simple-history list, a historical version and its revert, a user's password page) with the id
of another township's (another agency's) row gets 404, 403 or a redirect, never the row, and
changes nothing. The URLs are every registered ModelAdmin's own (`admin.site._registry`,
`get_urls()`), so a model or a view added later is walked too."""

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from accounts.choices import Role
from accounts.services import issue_api_token
from agencies import services as agency_services
from agencies.models import ProblemCategory, Township, Village
from anji_recycling.admin import ScopedAdmin, ScopedAdminMixin
from assessments.choices import PeriodKind
from assessments.models import (
    AssessmentScheme,
    Deduction,
    IndicatorScore,
    Objection,
    TownshipResult,
)
from assessments.services import open_period
from inspections.models import (
    Case,
    CaseRequest,
    EnforcementAction,
    Inspection,
    InspectionOfficer,
    JointAction,
    JointActionAgency,
    PatrolPlan,
)
from inspections.services import FindingInput, file_inspection
from network.models import NetworkProject, ProjectPhoto, ProjectStageChange
from public.models import PublicReport, PublicReportPhoto
from sites.models import Material, Operator, Site
from sites.services import save_operator
from support.models import AssociationNotice, LandSupportCase, PublicityActivity, Subsidy
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import (
    make_land_support,
    make_operator,
    make_site,
    make_subsidy,
    make_user,
    png_bytes,
)
from tests.portal_forms import portal_packages
from trade.models import FlagClearance, Settlement, Shipment, StockDeclaration, Transfer

pytestmark = pytest.mark.django_db

CREDIT_SEED = 7701
SECRET_PHONE = "13957707701"


def registered_rows():
    """Every row of every model the admin shows, by model."""
    return {
        model: set(model._default_manager.values_list("pk", flat=True))
        for model in admin.site._registry
    }


class OtherWorld:
    """Rows of 昌硕街道 (another township) whose case the fire brigade leads (another agency):
    an operator with its credit code and phone, a site, a village's correction, a patrol
    report and its case with a request and an enforcement action, a township patrol plan, an
    assessment result, score, deduction and objection, the township's users and a token. Each
    row has history where its model keeps history."""

    def __init__(self, commerce):
        before = registered_rows()
        changshuo = Township.objects.get(code=CHANGSHUO)
        self.worker = make_user(Role.GRID_WORKER, township_code=CHANGSHUO)
        officer = make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO)
        fire = make_user(Role.AGENCY_OFFICER, agency_code="fire")
        issue_api_token(user=self.worker, name="越界令牌", actor=commerce)

        self.operator = make_operator(
            actor=commerce,
            township_code=CHANGSHUO,
            seed=CREDIT_SEED,
            name="昌硕越界测试回收有限公司",
            contact_phone=SECRET_PHONE,
        )
        self.operator.note = "第二个历史版本"
        save_operator(operator=self.operator, actor=commerce)
        self.site = make_site(
            actor=commerce,
            township_code=CHANGSHUO,
            name="昌硕越界测试回收点",
            operator=self.operator,
        )
        village = Village.objects.filter(township=changshuo, is_active=True).order_by("code")[0]
        village.short_name = f"{village.short_name}（越界）"
        agency_services.save_village(village=village, actor=commerce)

        inspection = file_inspection(
            site=self.site,
            inspector=self.worker,
            result="problems",
            findings=[
                FindingInput(
                    category=ProblemCategory.objects.get(code="fire_hazard"),
                    description="越界消防隐患",
                )
            ],
        )
        case = inspection.findings.get().case
        assert case.lead_agency.code == "fire"
        CaseRequest.objects.create(
            case=case, kind="extension", days=3, reason="越界延期理由", requested_by=fire
        )
        EnforcementAction.objects.create(
            case=case,
            kind="warning",
            decided_on=timezone.localdate(),
            agency=case.lead_agency,
            recorded_by=fire,
        )
        PatrolPlan.objects.create(
            name="昌硕越界巡查计划", status="operating", township=changshuo, frequency="monthly"
        )
        self.joint(officer, fire)

        self.trade(commerce)
        self.support(commerce)
        self.network(commerce)
        self.public_report()

        scheme = AssessmentScheme.objects.get(code="long-term-management", version=1)
        period = open_period(
            scheme=scheme, kind=PeriodKind.QUARTER, year=2026, quarter=1, actor=commerce
        )
        indicator = scheme.indicators.order_by("sort_order", "pk")[0]
        now = timezone.now()
        TownshipResult.objects.create(
            period=period, township=changshuo, total=Decimal("77.70"), rank=1, computed_at=now
        )
        IndicatorScore.objects.create(
            period=period,
            township=changshuo,
            indicator=indicator,
            raw_points=Decimal("7.70"),
            weighted_points=Decimal("7.70"),
            computed_at=now,
        )
        deduction = Deduction.objects.create(
            period=period,
            township=changshuo,
            indicator=indicator,
            points=Decimal("1.50"),
            reason="越界扣分理由",
            entered_by=commerce,
        )
        Objection.objects.create(deduction=deduction, reason="越界异议理由", filed_by=officer)

        after = registered_rows()
        self.rows = {model: after[model] - before[model] for model in after}
        self.rows[Village].add(village.pk)

    def joint(self, officer, fire):
        """A joint inspection of the site with the fire brigade present, and a joint action
        on the site with the fire brigade (the township's officer organises both)."""
        from agencies.models import Agency
        from inspections.joint import assemble_joint_action

        file_inspection(site=self.site, inspector=officer, result="passed", present=[fire])
        assemble_joint_action(
            site=self.site,
            agencies=[Agency.objects.get(code="fire")],
            reason="越界联合行动理由",
            actor=officer,
        )

    def trade(self, commerce):
        """The site's sales to 昌硕's transfer station, their settlement and the station's
        month-end stock (the market records, as the pages would leave them)."""
        station = make_site(
            actor=commerce, tier=2, township_code=CHANGSHUO, name="昌硕越界测试中转站"
        )
        material = Material.objects.order_by("pk")[0]
        day = timezone.localdate()
        settlement = Settlement.objects.create(
            payer=station,
            payee=self.site,
            period_start=day,
            period_end=day,
            amount=Decimal("770.00"),
            created_by=commerce,
        )
        Transfer.objects.create(
            transferred_on=day,
            from_site=self.site,
            to_site=station,
            material=material,
            weight_kg=Decimal("1000"),
            unit_price=Decimal("770"),
            amount=Decimal("770.00"),
            settlement=settlement,
            entered_by=commerce,
        )
        centre = make_site(
            actor=commerce, tier=1, township_code=CHANGSHUO, name="昌硕越界测试分拣中心"
        )
        Shipment.objects.create(
            shipped_on=day,
            from_site=centre,
            processor_name="越界利用企业",
            processor_credit_code="91330523MA2B000000",
            processor_region="湖州市",
            material=material,
            weight_kg=Decimal("77"),
            entered_by=commerce,
        )
        FlagClearance.objects.create(
            site=self.site,
            month=day.replace(day=1),
            kind="idle_point",
            explanation="越界说明",
            cleared_by=commerce,
        )
        StockDeclaration.objects.create(
            site=station,
            month=day.replace(day=1),
            material=material,
            stock_kg=Decimal("77"),
            declared_by=commerce,
        )

    def support(self, commerce):
        """A subsidy to the operator and a land-support case for its site."""
        day = timezone.localdate()
        make_subsidy(
            actor=commerce,
            operator=self.operator,
            basis_document="安财企〔2026〕77号",
            amount=Decimal("7700.00"),
            purpose="越界补助",
        )
        make_land_support(actor=commerce, site=self.site, request="越界用地", area=Decimal("77.0"))
        PublicityActivity.objects.create(
            held_on=day,
            township=self.site.township,
            form="offline",
            topic="越界宣传",
            audience="越界村民",
            entered_by=commerce,
        )
        notice = AssociationNotice.objects.create(
            kind="other", title="越界通知", body="越界通知内容", published_on=day,
            published_by=commerce,
        )  # fmt: skip
        notice.operators.add(self.operator)

    def network(self, commerce):
        """A construction project in 昌硕 with a stage change and a photo."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from network.models import NetworkProject, ProjectStageChange
        from network.services import add_project_photo
        from tests.network.conftest import make_project

        changshuo = Township.objects.get(code=CHANGSHUO)
        project = make_project(actor=commerce, township=changshuo, name="昌硕越界建设项目")
        assert ProjectStageChange.objects.filter(project=project).exists()
        add_project_photo(
            project=project,
            image=SimpleUploadedFile("site.png", png_bytes(), content_type="image/png"),
            actor=commerce,
            caption="越界照片",
        )
        assert NetworkProject.objects.filter(pk=project.pk).exists()

    def public_report(self):
        """A resident's report to 昌硕 with a photo (it opens the township's case)."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from public.models import PublicReport
        from public.services import file_public_report

        file_public_report(
            report=PublicReport(
                kind="illegal_point",
                township=Township.objects.get(code=CHANGSHUO),
                category=ProblemCategory.objects.get(code="appearance"),
                place="昌硕越界举报地点",
                description="越界举报内容",
                latitude=Decimal("30.640000"),
                longitude=Decimal("119.690000"),
                phone=SECRET_PHONE,
            ),
            photos=[SimpleUploadedFile("report.png", png_bytes(), content_type="image/png")],
        )

    def out_of_scope(self, user):
        """This world's rows the user may not see, by model: `visible_to` decides, as it
        does for the pages and the API; models without it (Django's, axes', DRF's) show
        none of these rows to a portal user."""
        hidden = {}
        for model, pks in self.rows.items():
            manager = model._default_manager
            if hasattr(manager, "visible_to"):
                pks = pks - set(manager.visible_to(user).values_list("pk", flat=True))
            if pks:
                hidden[model] = pks
        return hidden

    def markers(self):
        """What must never reach the other township's pages."""
        return [self.operator.credit_code, SECRET_PHONE, self.operator.name, self.site.name]


def history_ids(model, pk):
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    if attribute is None:
        return []
    manager = getattr(model, attribute)
    rows = manager.filter(**{model._meta.pk.attname: pk})
    return list(rows.order_by("history_id").values_list("history_id", flat=True))


def object_urls(model, pk):
    """Every URL of the model's admin that takes an object id, filled with `pk` (and a history
    id of the row for a historical version)."""
    model_admin = admin.site._registry[model]
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    versions = history_ids(model, pk)
    urls = []
    for pattern in model_admin.get_urls():
        route = str(pattern.pattern).removeprefix("^").removesuffix("$")
        holes = re.findall(r"<[^>]+>|\([^)]*\)", route)
        if not holes:
            continue
        values = [str(pk), *(str(v) for v in versions[:1])]
        if len(holes) > len(values):
            continue  # a historical version of a row without history
        for hole, value in zip(holes, values, strict=False):
            route = route.replace(hole, value, 1)
        urls.append(changelist + route)
    return urls


def snapshot(hidden):
    """The hidden rows as stored, with their number of historical versions."""
    return {
        model: (
            list(model._default_manager.filter(pk__in=pks).order_by("pk").values()),
            sum(len(history_ids(model, pk)) for pk in pks),
        )
        for model, pks in hidden.items()
    }


def walk(client, world, user):
    """GET and POST every object URL of every registered admin with the other world's ids."""
    hidden = world.out_of_scope(user)
    before = snapshot(hidden)
    client.force_login(user)
    walked = []
    for model, pks in hidden.items():
        for pk in sorted(pks):
            for url in object_urls(model, pk):
                for method in (client.get, client.post):
                    response = method(url, {"post": "yes"} if method == client.post else None)
                    body = response.content.decode()
                    walked.append((url, method.__name__, response.status_code))
                    assert response.status_code in (302, 403, 404), (url, method.__name__)
                    for marker in world.markers():
                        assert marker not in body, (url, marker)
                    target = response.get("Location", "").split("?")[0]
                    if response.status_code == 302 and target not in object_urls(model, pk):
                        assert str(pk) not in target, url
        walked.extend(follow_view_on_site(client, world, model, pks))
    assert snapshot(hidden) == before
    return hidden, walked


def follow_view_on_site(client, world, model, pks):
    """The admin's "view on site" (/admin/r/<content type>/<id>/) redirects to the row's page
    for any id: the page it lands on refuses the row."""
    content_type = ContentType.objects.get_for_model(model)
    for pk in sorted(pks):
        url = reverse("admin:view_on_site", args=[content_type.pk, pk])
        response = client.get(url, follow=True)
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        refused = response.status_code in (403, 404) or landed.startswith(reverse("admin:login"))
        assert refused, (url, response.redirect_chain)
        for marker in world.markers():
            assert marker not in response.content.decode(), (url, marker)
        yield url, "get", response.status_code


@pytest.fixture
def world(commerce_admin):
    return OtherWorld(commerce_admin)


def test_every_portal_model_admin_is_scoped_by_visible_to(db):
    user = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in portal_packages():
            continue
        assert isinstance(model_admin, ScopedAdminMixin), model
        if isinstance(model_admin, SimpleHistoryAdmin):
            # its history list and versions read the history table: ScopedAdmin scopes them
            assert isinstance(model_admin, ScopedAdmin), model
        shown = set(model_admin.get_queryset(request).values_list("pk", flat=True))
        assert shown == set(model.objects.visible_to(user).values_list("pk", flat=True)), model


def test_township_officer_reaches_no_other_townships_row_through_any_admin_url(
    client, world, dipu_officer
):
    hidden, walked = walk(client, world, dipu_officer)

    township_rows = {
        Operator,
        Site,
        Village,
        Case,
        Inspection,
        InspectionOfficer,
        JointAction,
        JointActionAgency,
        CaseRequest,
        EnforcementAction,
        PatrolPlan,
        TownshipResult,
        IndicatorScore,
        Deduction,
        Objection,
        Transfer,
        Settlement,
        StockDeclaration,
        Shipment,
        FlagClearance,
        Subsidy,
        LandSupportCase,
        PublicityActivity,
        AssociationNotice,
        NetworkProject,
        ProjectStageChange,
        ProjectPhoto,
        PublicReport,
        PublicReportPhoto,
    }
    assert township_rows <= set(hidden)
    simple_history_urls = [url for url, _method, _status in walked if "/history/" in url]
    assert any(re.search(r"/history/\d+/$", url) for url in simple_history_urls)


def test_agency_officer_reaches_no_other_agencys_case_through_any_admin_url(
    client, world, market_officer
):
    hidden, _walked = walk(client, world, market_officer)

    assert {Case, Inspection, CaseRequest, EnforcementAction} <= set(hidden)
    assert {InspectionOfficer, JointAction, JointActionAgency} <= set(hidden)
    assert Site not in hidden  # sites are read county-wide


def test_the_commerce_bureau_reaches_the_same_rows_through_the_same_urls(
    client, world, commerce_admin, dipu_officer
):
    """The walk asks real rows at real URLs: the county sees each of them."""
    client.force_login(commerce_admin)
    request = RequestFactory().get("/admin/")
    request.user = commerce_admin
    for model, pks in world.out_of_scope(dipu_officer).items():
        if not admin.site._registry[model].has_view_permission(request):
            continue
        for pk in pks:
            page = client.get(reverse(admin_url_name(model, "change"), args=[pk]))
            assert page.status_code == 200, model
    history, version = history_urls(world.operator)
    assert world.operator.name in client.get(history).content.decode()
    assert world.operator.credit_code in client.get(version).content.decode()


def history_urls(operator):
    """An operator's simple-history list and its oldest version, from the admin's own URLs."""
    urls = object_urls(Operator, operator.pk)
    (history,) = (url for url in urls if url.endswith("/history/"))
    (version,) = (url for url in urls if re.search(r"/history/\d+/$", url))
    return history, version


def admin_url_name(model, view):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


def test_admin_changelists_show_only_rows_in_scope(client, world, dipu_officer, market_officer):
    for user in (dipu_officer, market_officer):
        hidden = world.out_of_scope(user)
        client.force_login(user)
        for model in admin.site._registry:
            response = client.get(reverse(admin_url_name(model, "changelist")))
            if response.status_code != 200:
                assert response.status_code in (302, 403), model
                continue
            shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
            assert not shown & hidden.get(model, set()), (user, model)
            for marker in world.markers() if model in hidden else []:
                assert marker not in response.content.decode(), (user, model, marker)


def test_admin_autocomplete_offers_only_rows_in_scope(client, world, dipu_officer):
    hidden = world.out_of_scope(dipu_officer)
    client.force_login(dipu_officer)
    asked = 0
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            target = model._meta.get_field(field_name).related_model
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field_name,
                    "term": "",
                },
            )
            asked += 1
            assert response.status_code in (200, 403), (model, field_name)
            if response.status_code == 200:
                offered = {int(row["id"]) for row in response.json()["results"]}
                assert not offered & hidden.get(target, set()), (model, field_name)
    assert asked


def test_township_officer_reads_own_operators_history_and_versions(client, dipu_officer):
    commerce = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    operator = make_operator(actor=commerce, seed=7702)
    operator.note = "改过一次"
    save_operator(operator=operator, actor=commerce)
    client.force_login(dipu_officer)

    history, version = history_urls(operator)

    assert operator.name in client.get(history).content.decode()
    assert operator.credit_code in client.get(version).content.decode()


def test_reverting_needs_the_permission_to_change_the_row(client, commerce_admin, dipu_officer):
    """A township officer reads their township's row but only the commerce bureau changes it:
    posting an old version (simple-history's revert) is refused and the row stays as it is."""
    township = Township.objects.get(code=DIPU)
    old_source = township.source
    township.source = "县民政局2026年核对"
    agency_services.save_township(township=township, actor=commerce_admin)
    oldest = township.history.order_by("history_id").first()
    client.force_login(dipu_officer)
    url = reverse("admin:agencies_township_simple_history", args=[township.pk, oldest.history_id])
    fields = {"code": township.code, "name": township.name, "kind": township.kind}

    page = client.get(url)
    revert = client.post(url, {**fields, "source": old_source})

    assert page.status_code == 200
    assert revert.status_code == 403
    township.refresh_from_db()
    assert township.source == "县民政局2026年核对"


def test_a_deleted_rows_history_is_for_the_commerce_bureau_only(
    client, commerce_admin, dipu_officer
):
    operator = make_operator(actor=commerce_admin, seed=7703)
    pk, name = operator.pk, operator.name
    Operator.objects.filter(pk=pk).delete()
    url = reverse("admin:sites_operator_history", args=[pk])

    client.force_login(dipu_officer)
    officer = client.get(url)
    client.force_login(commerce_admin)
    county = client.get(url)

    assert officer.status_code == 404
    assert county.status_code == 200
    assert name in county.content.decode()


def test_a_new_sites_form_never_names_another_townships_rows_from_the_address(
    client, world, dipu_officer
):
    """`/admin/sites/site/add/?operator=<id>&parent=<id>` prefills the form: the admin's id
    widgets would show the named rows, whoever's they are."""
    village = Village.objects.filter(township__code=CHANGSHUO, is_active=True)[0]
    client.force_login(dipu_officer)

    page = client.get(
        reverse("admin:sites_site_add"),
        {"operator": world.operator.pk, "parent": world.site.pk, "village": village.pk},
    )

    assert page.status_code == 200
    for marker in world.markers():
        assert marker not in page.content.decode()


def test_a_township_officer_cannot_give_their_site_another_townships_operator(
    client, world, commerce_admin, dipu_officer
):
    from tests.html_forms import edit_form

    site = make_site(actor=commerce_admin, name="递铺自己的回收点")
    client.force_login(dipu_officer)
    url = reverse("admin:sites_site_change", args=[site.pk])
    data = edit_form(client.get(url).content.decode()).data()

    response = client.post(url, {**data, "operator": str(world.operator.pk)})

    assert response.status_code == 200  # the form again, with the error
    site.refresh_from_db()
    assert site.operator_id is None


def test_view_on_site_never_hands_out_a_residents_tracking_link(client, world, dipu_officer):
    """A resident's report's page is their private link (its token): the admin's "view on
    site" redirect is refused for it, to the county too, and the token is on no admin page."""
    from public.models import PublicReport

    commerce = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
    report = PublicReport.objects.get(place="昌硕越界举报地点")
    content_type = ContentType.objects.get_for_model(PublicReport)
    url = reverse("admin:view_on_site", args=[content_type.pk, report.pk])
    for user in (dipu_officer, commerce):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404, user
        assert report.token not in response.get("Location", "")
    change = client.get(reverse("admin:public_publicreport_change", args=[report.pk]))
    assert change.status_code == 200
    assert report.tracking_number in change.content.decode()
    assert report.token not in change.content.decode()
