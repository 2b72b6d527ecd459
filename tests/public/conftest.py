"""A fully filled registry for the public side: what residents may see and, beside it, every
kind of private value the public pages and API must never show."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from agencies.models import ProblemCategory, Village
from inspections.services import FindingInput, file_inspection
from sites.models import Material
from sites.services import change_site_status
from tests.factories import make_operator, make_site, make_user
from trade.models import PriceEntry
from trade.services import publish_price


@dataclass
class PublicWorld:
    public_sites: list
    private_sites: list
    individual: object
    enterprise: object
    private_values: list = field(default_factory=list)


def _coordinate_texts(site) -> list[str]:
    """The position as any page or JSON could print it (4 decimals are ~10 m)."""
    return [f"{site.latitude:.4f}", f"{site.longitude:.4f}"]


@pytest.fixture
def public_world(commerce_admin):
    grid = make_user(
        "grid_worker", township_code="330523001", first_name="钱网格", last_name="员七"
    )
    commerce_admin.first_name, commerce_admin.last_name = "孙商务", "管理员"
    commerce_admin.save()
    individual = make_operator(
        actor=commerce_admin,
        seed=71,
        name="李建国废品回收店",
        kind="individual",
        legal_representative="李建国",
        contact_phone="13812345678",
        address="递铺街道私宅路88号",
        business_scope="个人经营范围机密",
        licence_issued_on=dt.date(2025, 1, 1),
        filing_number="BA-PRIVATE-0071",
        note="经营者备注私密",
    )
    enterprise = make_operator(
        actor=commerce_admin,
        seed=72,
        name="安吉绿源再生资源有限公司",
        legal_representative="王大明",
        contact_phone="13900007777",
        licence_issued_on=dt.date(2020, 1, 1),
        licence_valid_until=dt.date(2020, 12, 31),
    )
    paper = Material.objects.get(code="paper")
    village = Village.objects.get(code="330523001018")
    point = make_site(
        actor=commerce_admin,
        name="长乐社区回收点",
        village=village,
        operator=individual,
        contact_name="赵小红",
        contact_phone="13700002222",
        note="站点内部备注XYZ",
        latitude=Decimal("30.631234"),
        longitude=Decimal("119.681234"),
        venue_type="community",
    )
    point.materials.set([paper])
    station = make_site(
        actor=commerce_admin,
        tier=2,
        name="递铺中转站",
        operator=enterprise,
        latitude=Decimal("30.641111"),
        longitude=Decimal("119.691111"),
    )
    station.materials.set([paper])
    banned = make_site(
        actor=commerce_admin,
        name="马家废品收购点",
        latitude=Decimal("30.512345"),
        longitude=Decimal("119.645678"),
        operator=individual,
    )
    illegal = make_site(
        actor=commerce_admin,
        status="illegal",
        name="河边非法收购点",
        address="私密河边路3号",
        latitude=Decimal("30.523456"),
        longitude=Decimal("119.656789"),
    )
    planned = make_site(
        actor=commerce_admin,
        status="planned",
        name="尚未批准的规划网点",
        latitude=Decimal("30.534567"),
        longitude=Decimal("119.667891"),
    )
    rectifying = make_site(
        actor=commerce_admin,
        name="整改中的回收点",
        latitude=Decimal("30.545678"),
        longitude=Decimal("119.678912"),
    )
    inspection = file_inspection(
        site=rectifying,
        inspector=grid,
        result="problems",
        note="检查备注机密ABC",
        findings=[
            FindingInput(
                category=ProblemCategory.objects.get(code="fire_hazard"),
                description="发现消防问题QWE",
            )
        ],
    )
    change_site_status(
        site=rectifying, to="rectifying", actor=commerce_admin, reason="整改原因机密"
    )
    change_site_status(site=banned, to="banned", actor=commerce_admin, reason="取缔原因机密")
    case = inspection.findings.get().case
    publish_price(
        entry=PriceEntry(
            material=paper,
            seller_tier=3,
            price=Decimal("1650.00"),
            effective_from=dt.date(2025, 6, 1),
            note="价格内部备注",
        ),
        actor=commerce_admin,
    )
    from public.models import PublicReport
    from public.services import file_public_report

    resident_report = file_public_report(
        report=PublicReport(
            kind="illegal_point",
            township=point.township,
            category=ProblemCategory.objects.get(code="appearance"),
            place="举报地点私密路5号",
            description="举报人描述私密",
            latitude=Decimal("30.556789"),
            longitude=Decimal("119.689123"),
            phone="13611112222",
        )
    )
    private_sites = [banned, illegal, planned, rectifying, resident_report.case.site]
    values = [
        # the individual operator: phone, credit code (its ID), name, address, scope, filing
        "13812345678",
        individual.credit_code,
        "李建国",
        "建国",
        "私宅路",
        "个人经营范围机密",
        "BA-PRIVATE-0071",
        "经营者备注私密",
        # the enterprise's legal representative, phone and credit code
        "王大明",
        "13900007777",
        enterprise.credit_code,
        # a site's contact person, phone and note
        "赵小红",
        "13700002222",
        "站点内部备注XYZ",
        # inspections, cases, reasons, staff
        "检查备注机密ABC",
        "发现消防问题QWE",
        case.number,
        "整改原因机密",
        "取缔原因机密",
        "钱网格",
        "员七",
        "孙商务",
        "价格内部备注",
        grid.username,
        commerce_admin.username,
        # a resident's report: their phone, words and the place (only on the case)
        "13611112222",
        "举报人描述私密",
        "举报地点私密路",
        resident_report.case.number,
        # sites the public must not see, and where they are
        *(site.name for site in private_sites),
        *(site.code for site in private_sites),
        "私密河边路",
        *(text for site in private_sites for text in _coordinate_texts(site)),
    ]
    return PublicWorld(
        public_sites=[point, station],
        private_sites=private_sites,
        individual=individual,
        enterprise=enterprise,
        private_values=values,
    )
