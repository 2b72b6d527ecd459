"""Fully filled rows for the tests that save a form unchanged (tests/test_edit_round_trip.py,
tests/test_admin_round_trip.py): every field holds a value a lost edit would change (dates,
decimals, choices, foreign keys, many-to-many, multi-line text), booleans as the test asks;
and the row as the database holds it, to compare."""

import datetime as dt
from decimal import Decimal

from django.db import models

from accounts.choices import Role
from agencies import services as agency_services
from agencies.meetings import plan_meeting
from agencies.models import (
    ActionItem,
    Agency,
    AgencyDuty,
    DutyRule,
    HolidayArrangement,
    LeadingGroupMembership,
    LeadingGroupPost,
    Meeting,
    MeetingAttendance,
    ProblemCategory,
    Schedule,
    Township,
    TownshipPopulation,
    Village,
)
from assessments.models import AssessmentScheme
from inspections.models import ChecklistItem, EnforcementAction, PatrolPlan
from inspections.services import FindingInput, file_inspection
from sites.models import CoverageTarget, Material, Site
from sites.services import register_site
from tests.factories import make_operator, make_site, make_user, png_bytes

DIPU = "330523001"  # 递铺街道
CHANGSHUO = "330523002"  # 昌硕街道
ANJI = dt.timezone(dt.timedelta(hours=8))
MULTI_LINE = "第一行说明\n第二行：废纸、废塑料"


class People:
    """The users a case needs, made once per test."""

    def __init__(self):
        self.commerce = make_user(Role.COMMERCE_ADMIN, agency_code="commerce")
        self.officer = make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)
        self.market = make_user(Role.AGENCY_OFFICER, agency_code="market")

    def user(self, role):
        return {
            Role.COMMERCE_ADMIN: self.commerce,
            Role.TOWNSHIP_OFFICER: self.officer,
            Role.AGENCY_OFFICER: self.market,
        }[role]


# Builders: one fully filled row each ------------------------------------------------------


def dipu():
    return Township.objects.get(code=DIPU)


def township(people, flag):
    row = dipu()
    row.latitude, row.longitude = Decimal("30.634812"), Decimal("119.683245")
    row.source = "国家统计局2023年统计用区划代码"
    return agency_services.save_township(township=row, actor=people.commerce)


def township_population(people, flag):
    row = TownshipPopulation(township=dipu(), year=2024, population=61234, source="演示数据")
    return agency_services.save_township_population(population=row, actor=people.commerce)


def village(people, flag):
    row = Village.objects.filter(township__code=DIPU, is_active=True).order_by("code").first()
    row.short_name = f"{row.short_name}（简）"
    row.urban_rural_code = "122"
    row.latitude, row.longitude = Decimal("30.630001"), Decimal("119.680002")
    row.is_active = flag
    row.source = "国家统计局2023年统计用区划代码"
    return agency_services.save_village(village=row, actor=people.commerce)


def agency(people, flag):
    """A new agency with one duty (the admin edits duties on the agency's page)."""
    row = Agency(code="round-trip", name="县往返测试局", short_name="往返局")
    row.kind = "government_office"
    row.sort_order = 42
    row = agency_services.save_agency(agency=row, actor=people.commerce)
    duty = AgencyDuty(agency=row, text=MULTI_LINE, sort_order=3)
    agency_services.save_agency_duty(duty=duty, actor=people.commerce)
    return row


def agency_duties(row):
    return {"duties": list(row.duties.order_by("pk").values("pk", "text", "sort_order"))}


def agency_duty(people, flag):
    row = AgencyDuty(
        agency=None if flag else Agency.objects.get(code="market"),
        for_townships=flag,
        text=MULTI_LINE,
        sort_order=9,
    )
    return agency_services.save_agency_duty(duty=row, actor=people.commerce)


def problem_category(people, flag, code="round-trip"):
    row = ProblemCategory(
        code=code, name=f"往返测试问题{code}", examples="例一；例二", sort_order=17, is_active=flag
    )
    return agency_services.save_problem_category(category=row, actor=people.commerce)


def duty_rule(people, flag):
    row = DutyRule(
        category=problem_category(people, True, code="round-trip-rule"),
        area="built_up",
        lead_kind="agency",
        lead_agency=Agency.objects.get(code="urban"),
        register_days=2,
        dispatch_days=3,
        handle_days=15,
        verify_days=5,
        note="往返测试规则",
        is_active=flag,
    )
    return agency_services.save_duty_rule(rule=row, actor=people.commerce)


def membership(people, flag):
    row = LeadingGroupMembership(
        post=LeadingGroupPost.objects.order_by("pk").first(),
        person_name="王往返",
        job_title="副局长",
        phone="13900001234",
        start_date=dt.date(2026, 1, 5),
        end_date=dt.date(2027, 6, 30),
        note="兼任办公室主任",
    )
    return agency_services.save_membership(membership=row, actor=people.commerce)


def holiday_arrangement(people, flag):
    """A make-up working day of a notice, in 2027 (the year the county enters)."""
    row = HolidayArrangement(
        day=dt.date(2027, 2, 20),
        kind="work",
        name="春节调休上班",
        notice_number="国办发明电〔2026〕7号",
    )
    return agency_services.save_holiday_arrangement(arrangement=row, actor=people.commerce)


def meeting(people, flag):
    """A planned meeting following an earlier one, with an invitee who has since left."""
    earlier = plan_meeting(
        meeting=Meeting(
            title="第一次联席会议",
            starts_at=dt.datetime(2026, 4, 15, 9, 30, tzinfo=ANJI),
            place="县商务局三楼会议室",
            convener="县商务局",
        ),
        actor=people.commerce,
    )
    departed = make_user(Role.AGENCY_OFFICER, agency_code="urban")
    row = plan_meeting(
        meeting=Meeting(
            title="第二次联席会议",
            kind="special",
            starts_at=dt.datetime(2026, 7, 15, 9, 30, 15, tzinfo=ANJI),
            place="县政府二号会议室",
            convener="县商务局",
            agenda=MULTI_LINE,
            recurrence="quarterly",
            previous=earlier,
            minutes=MULTI_LINE,
            decisions=MULTI_LINE,
        ),
        actor=people.commerce,
        invited_agencies=Agency.objects.filter(code__in=["market", "urban"]),
        invitees=[people.market, departed],
    )
    departed.is_active = False
    departed.save(update_fields=["is_active"])
    return row


def held_meeting(people, flag):
    """A meeting recorded as held: the market bureau present, the urban bureau absent."""
    row = meeting(people, flag)
    row.status = "held"
    row.save(update_fields=["status"])
    market, urban = Agency.objects.get(code="market"), Agency.objects.get(code="urban")
    MeetingAttendance.objects.create(meeting=row, agency=market, present=True)
    MeetingAttendance.objects.create(meeting=row, agency=urban, present=False)
    return row


def attendance(row):
    return {
        "attendance": sorted(
            MeetingAttendance.objects.filter(meeting=row).values_list("agency__code", "present")
        )
    }


def action_item(people, flag):
    return ActionItem.objects.create(
        meeting=held_meeting(people, flag),
        agency=Agency.objects.get(code="market"),
        description=MULTI_LINE,
        due_on=dt.date(2027, 6, 30),
        status="done",
        done_on=dt.date(2027, 6, 28),
    )


def schedule(people, flag):
    row = Schedule.current()
    row.meeting_reminder_days = 5
    row.meeting_morning_hour = 9
    row.escalation_delay_days = 4
    row.licence_reminder_days = 45
    row.action_item_reminder_days = 10
    row.save()
    return row


def operator(people, flag, seed=41, township_code=DIPU):
    return make_operator(
        actor=people.commerce,
        seed=seed,
        township_code=township_code,
        kind="individual",
        address="递铺街道往返路8号",
        business_scope=MULTI_LINE,
        licence_issued_on=dt.date(2024, 7, 1),
        licence_valid_until=dt.date(2027, 6, 30),
        filing_number="安商备2024-018",
        filed_on=dt.date(2024, 7, 20),
        note="往返测试",
        is_coop_enterprise=flag,
        is_leading_enterprise=flag,
        is_third_party_operator=flag,
        contract_starts_on=dt.date(2024, 8, 1),
        contract_ends_on=dt.date(2029, 7, 31),
    )


def site(people, flag, *, village_no_longer_current=False, partners_elsewhere=False):
    """A collection point delivering to a transfer station. `village_no_longer_current`: the
    NBS list has dropped its village since; `partners_elsewhere`: the commerce bureau gave it
    an operator and a station in another township (outside a 递铺 officer's choices)."""
    elsewhere = CHANGSHUO if partners_elsewhere else DIPU
    station = register_site(
        site=Site(
            name="往返测试中转站",
            tier=2,
            status="operating",
            township=Township.objects.get(code=elsewhere),
            address="往返测试中转路1号",
        ),
        actor=people.commerce,
    )
    place = Village.objects.filter(township__code=DIPU, is_active=True).order_by("code").first()
    row = register_site(
        site=Site(
            name="往返测试回收点",
            tier=3,
            status="operating",
            township=dipu(),
            village=place,
            venue_type="school",
            address="递铺街道往返路9号",
            latitude=Decimal("30.631234"),
            longitude=Decimal("119.681234"),
            operator=operator(people, flag, seed=42, township_code=elsewhere),
            parent=station,
            floor_area=Decimal("1234.5"),
            daily_capacity=Decimal("2.75"),
            dual_use=flag,
            contact_name="李四",
            contact_phone="13900005678",
            opening_hours="周一至周六 8:00-17:00",
            note=MULTI_LINE,
        ),
        actor=people.commerce,
        materials=Material.objects.order_by("pk")[:2],
    )
    if village_no_longer_current:
        # The NBS list dropped the village's code since; the site still lies in it.
        Village.objects.filter(pk=place.pk).update(is_active=False)
    return row


def patrol_plan(people, flag):
    return PatrolPlan.objects.create(
        name="递铺网点月度巡查",
        status="rectifying",
        tier=3,
        township=dipu(),
        frequency="weekly",
        is_active=flag,
    )


def enforcement_action(people, flag):
    grid_worker = make_user(Role.GRID_WORKER, township_code=DIPU)
    place = site(people, flag)
    inspection = file_inspection(
        site=place,
        inspector=grid_worker,
        result="problems",
        findings=[
            FindingInput(
                category=ProblemCategory.objects.get(code="unlicensed"), description="无照经营"
            )
        ],
    )
    case = inspection.findings.get().case
    return EnforcementAction.objects.create(
        case=case,
        kind="fine",
        decided_on=dt.date(2027, 6, 30),
        agency=case.lead_agency,
        category=case.category,
        rectify_by=dt.date(2027, 7, 15),
        fine_amount=Decimal("12345.50"),
        referred_to=Agency.objects.get(code="police"),
        document_number="安市监罚〔2027〕18号",
        note=MULTI_LINE,
        recorded_by=people.market,
        recorded_at=dt.datetime(2027, 6, 30, 16, 5, 42, tzinfo=ANJI),
    )


def scheme(people, flag):
    row = AssessmentScheme.objects.get(code="long-term-management", version=1)
    row.name = f"{row.name}（往返）"
    row.objection_days = 7
    row.note = MULTI_LINE
    row.owner_agency_code = "supervision"
    row.save()
    first = row.indicators.order_by("sort_order", "pk").first()
    first.description = MULTI_LINE
    first.save(update_fields=["description"])
    return row


def scheme_rows(row):
    return {
        "indicators": list(
            row.indicators.order_by("sort_order", "pk").values(
                "pk", "kind", "name", "weight", "max_points", "points_per_item", "description"
            )
        ),
        "bands": list(row.grade_bands.order_by("pk").values("pk", "name", "min_score")),
    }


def leading_group_post(people, flag):
    row = LeadingGroupPost(
        role="member", title="成员（往返测试局）", agency=agency(people, flag), sort_order=31
    )
    return agency_services.save_post(post=row, actor=people.commerce)


def checklist_item(people, flag):
    return ChecklistItem.objects.create(
        code="round-trip",
        text="是否建立收购台账？",
        category=ProblemCategory.objects.get(code="unlicensed"),
        sort_order=31,
        is_active=flag,
        applies_to_unregistered=flag,
    )


def material(people, flag):
    return Material.objects.create(code="round-trip", name="往返测试材料", sort_order=31)


def material_grade(people, flag):
    from trade.models import MaterialGrade
    from trade.services import save_grade

    row = MaterialGrade(
        material=Material.objects.get(code="paper"), name="往返测试品级", sort_order=31
    )
    row.is_active = flag
    return save_grade(grade=row, actor=people.commerce)


def price_entry(people, flag):
    from trade.models import PriceEntry
    from trade.services import publish_price

    row = PriceEntry(
        material=Material.objects.get(code="paper"),
        grade=material_grade(people, True),
        seller_tier=2,
        price=Decimal("1234.50"),
        effective_from=dt.date(2026, 6, 1),
        note="往返测试指导价",
    )
    return publish_price(entry=row, actor=people.commerce)


def _market_site(people, name, tier, **fields):
    return register_site(
        site=Site(
            name=name,
            tier=tier,
            status="operating",
            township=dipu(),
            address=f"递铺街道{name}路1号",
            **fields,
        ),
        actor=people.commerce,
        materials=Material.objects.filter(code__in=["paper", "plastic"]),
    )


def transfer(people, flag):
    """A point's delivery to a station other than its own, with the reason."""
    from trade.models import MaterialGrade, Transfer
    from trade.services import record_transfer

    own = _market_site(people, "往返自属中转站", 2)
    other = _market_site(people, "往返另一中转站", 2)
    place = Village.objects.filter(township__code=DIPU, is_active=True).order_by("code").first()
    point = _market_site(people, "往返交售网点", 3, village=place, parent=own)
    row = Transfer(
        transferred_on=dt.date(2026, 7, 15),
        from_site=point,
        to_site=other,
        material=Material.objects.get(code="paper"),
        grade=MaterialGrade.objects.get(material__code="paper", name="黄板纸"),
        weight_kg=Decimal("1234.56"),
        unit_price=Decimal("1480.50"),
        reason="自属中转站检修停收",
        weighbridge_ticket="BD-20260715-007",
    )
    return record_transfer(transfer=row, actor=people.officer)


def shipment(people, flag):
    from tests.factories import credit_code
    from trade.models import MaterialGrade, Shipment
    from trade.services import record_shipment

    row = Shipment(
        shipped_on=dt.date(2026, 7, 20),
        from_site=_market_site(people, "往返分拣中心", 1),
        processor_name="浙江往返纸业有限公司",
        processor_credit_code=credit_code(88),
        processor_region="湖州市",
        material=Material.objects.get(code="paper"),
        grade=MaterialGrade.objects.get(material__code="paper", name="书报纸"),
        weight_kg=Decimal("20500.25"),
        note="往返测试出库",
    )
    return record_shipment(shipment=row, actor=people.commerce)


def stock_declaration(people, flag):
    from trade.models import StockDeclaration
    from trade.services import declare_stock

    row = StockDeclaration(
        site=_market_site(people, "往返申报中转站", 2),
        month=dt.date(2026, 7, 1),
        material=Material.objects.get(code="plastic"),
        stock_kg=Decimal("3456.78"),
    )
    return declare_stock(declaration=row, actor=people.officer)


def coverage_target(people, flag):
    return CoverageTarget.objects.create(
        year=2031,
        village_coverage_percent=Decimal("95.5"),
        transfer_station_percent=Decimal("87.5"),
        note="往返测试目标",
    )


def user(people, flag):
    """An agency officer (a superuser too, with booleans true) who has logged in."""
    return make_user(
        Role.AGENCY_OFFICER,
        agency_code="market",
        last_name="赵",
        email="zhao@example.com",
        phone="13900009876",
        is_active=flag,
        is_superuser=flag,
        last_login=dt.datetime(2026, 7, 30, 8, 15, 42, tzinfo=ANJI),
        date_joined=dt.datetime(2026, 1, 5, 9, 0, 7, tzinfo=ANJI),
    )


# Comparing ----------------------------------------------------------------------------------


def is_timestamp(model_field) -> bool:
    return getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)


def stored(row) -> dict:
    """The row as the database holds it: every concrete field and many-to-many."""
    row = type(row)._base_manager.get(pk=row.pk)
    values = {
        model_field.attname: getattr(row, model_field.attname)
        for model_field in row._meta.concrete_fields
        if not getattr(model_field, "auto_now", False)
    }
    for model_field in row._meta.many_to_many:
        values[model_field.name] = sorted(
            getattr(row, model_field.name).values_list("pk", flat=True)
        )
    return values


def assert_fully_filled(row, *, flag, left_alone):
    """Every field holds a value that a lost edit would change: not empty, not the default;
    booleans as `flag`; text fields over more than one line."""
    unfilled = []
    for model_field in [*row._meta.concrete_fields, *row._meta.many_to_many]:
        if model_field.primary_key or is_timestamp(model_field) or model_field.name in left_alone:
            continue
        if model_field.many_to_many:
            value = list(getattr(row, model_field.name).all())
        else:
            value = getattr(row, model_field.attname)
        if isinstance(model_field, models.BooleanField):
            filled = value is flag
        else:
            default = model_field.get_default() if model_field.has_default() else None
            filled = value not in (None, "", []) and value != default
        if isinstance(model_field, models.TextField):
            filled = filled and "\n" in value
        if not filled:
            unfilled.append(f"{model_field.name}={value!r}")
    assert unfilled == [], f"{type(row).__name__} is not fully filled: {unfilled}"


def boolean_flags(model) -> tuple[bool, ...]:
    """Booleans all true, and all false too when the model has any."""
    fields = model._meta.concrete_fields if model else []
    has_booleans = any(isinstance(f, models.BooleanField) for f in fields)
    return (True, False) if has_booleans else (True,)


def build_filled(build, people, *, flag, left_alone):
    """`build(people, flag)`, checked to be fully filled."""
    row = build(people, flag)
    assert_fully_filled(type(row)._base_manager.get(pk=row.pk), flag=flag, left_alone=left_alone)
    return row


def network_project(people, flag):
    """A station project under construction, every field its form shows filled."""
    from network.models import NetworkProject
    from network.services import advance_project, register_project

    place = Village.objects.filter(township__code=DIPU, is_active=True).order_by("code").first()
    centre = register_site(
        site=Site(
            name="往返测试分拣中心", tier=1, status="operating", township=dipu(), address="递铺"
        ),
        actor=people.commerce,
    )
    station = register_site(
        site=Site(name="往返测试改造站", tier=2, status="planned", township=dipu(), address="递铺"),
        actor=people.commerce,
    )
    row = register_project(
        project=NetworkProject(
            name="往返测试项目",
            kind="conversion",
            township=dipu(),
            village=place,
            address="递铺街道往返路10号",
            latitude=Decimal("30.631234"),
            longitude=Decimal("119.681234"),
            builder="县供销联社",
            operator=operator(people, flag, seed=43),
            parent=centre,
            site=station,
            investment_government=Decimal("1234567.89"),
            investment_enterprise=Decimal("23456.78"),
            investment_social=Decimal("3456.70"),
            subsidy=Decimal("4567.01"),
            land_status="pending",
            target_year=2025,
            planned_on=dt.date(2024, 3, 1),
            planned_approval_on=dt.date(2024, 5, 1),
            planned_construction_on=dt.date(2024, 7, 1),
            planned_completion_on=dt.date(2025, 3, 1),
            planned_operation_on=dt.date(2025, 4, 1),
            note=MULTI_LINE,
        ),
        actor=people.commerce,
    )
    row = advance_project(project=row, actor=people.commerce, on=dt.date(2024, 5, 2))
    return advance_project(project=row, actor=people.commerce, on=dt.date(2024, 7, 2))


def subsidy(people, flag):
    from django.core.files.base import ContentFile

    from support.models import Subsidy
    from support.services import save_subsidy

    row = Subsidy(
        operator=operator(people, flag, seed=51),
        kind="award",
        basis_document="安财企〔2025〕12号",
        amount=Decimal("12345.67"),
        granted_on=dt.date(2025, 6, 1),
        purpose="龙头骨干企业奖励",
    )
    row.evidence.save("拨付凭证.pdf", ContentFile(b"%PDF-1.4 round trip"), save=False)
    return save_subsidy(subsidy=row, actor=people.commerce)


def land_support(people, flag):
    from support.models import LandSupportCase
    from support.services import save_land_support

    station = make_site(actor=people.commerce, tier=2, name="往返测试用地中转站")
    return save_land_support(
        case=LandSupportCase(
            site=station,
            kind="new_allocation",
            request=MULTI_LINE,
            requested_on=dt.date(2025, 3, 1),
            area=Decimal("1234.5"),
            decision="approved",
            decided_on=dt.date(2025, 5, 6),
            decision_note="同意利用存量厂房",
        ),
        actor=people.commerce,
    )


def publicity(people, flag):
    from django.core.files.base import ContentFile

    from support.models import PublicityActivity
    from support.services import record_publicity

    row = PublicityActivity(
        held_on=dt.date(2026, 3, 1),
        township=dipu(),
        form="online",
        topic="再生资源法规宣传",
        audience="经营户和村民",
        audience_count=120,
        materials=MULTI_LINE,
    )
    row.photo.save("宣传.png", ContentFile(png_bytes()), save=False)
    row = record_publicity(activity=row, actor=people.commerce)
    # An agency records it here, so the agency is filled too.
    row.agency = Agency.objects.get(code="market")
    row.save(update_fields=["agency"])
    return row


def public_reporting(people, flag):
    from public.services import set_public_reporting

    return set_public_reporting(actor=people.commerce, is_open=flag, daily_cap=45)
