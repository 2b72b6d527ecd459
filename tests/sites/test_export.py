"""The site and operator rosters (花名册) as .xlsx: the rows the filters show, in the user's scope,
with the roster's Chinese headers, in a fixed number of queries."""

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.choices import SecurityEventKind
from accounts.models import SecurityEvent
from sites import exports
from sites.choices import SiteStatus, SiteTier
from sites.models import Material, Site
from tests.conftest import CHANGSHUO
from tests.factories import UserFactory, make_operator, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def open_xlsx(response):
    assert response.status_code == 200, response.content[:500]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def download_name(response) -> str:
    return unquote(response["Content-Disposition"].split("filename*=utf-8''")[-1])


def data_rows(sheet):
    """The roster's rows under its title row and header row, without the 序号 column (which
    counts them from 1)."""
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    return [row[1:] for row in rows]


def header_row(sheet):
    """The roster's header row (row 2, under the title row), without its 序号 column."""
    header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert header[0] == "序号"
    return list(header[1:])


def register_point(*, actor, name, materials=(), **fields):
    """A collection point in 递铺街道 with everything a roster shows, through the service."""
    site = make_site(actor=actor, name=name, **fields)
    site.materials.set(Material.objects.filter(code__in=materials))
    return site


@pytest.fixture
def dipu_network(commerce_admin):
    """A station and three collection points in 递铺街道, one point in 昌硕街道."""
    operator = make_operator(actor=commerce_admin, seed=11)
    station = make_site(actor=commerce_admin, tier=2, name="递铺街道中转分拣站")
    points = [
        register_point(
            actor=commerce_admin,
            name=f"递铺回收点{number}",
            materials=["paper", "plastic"],
            operator=operator,
            parent=station,
            venue_type="community",
            latitude=Decimal("30.659"),
            longitude=Decimal("119.692"),
            dual_use=number == 1,
            contact_phone="13900001111",
        )
        for number in range(1, 4)
    ]
    other = make_site(actor=commerce_admin, township_code=CHANGSHUO, name="昌硕回收点")
    return {"operator": operator, "station": station, "points": points, "other": other}


def test_site_roster_holds_exactly_the_filtered_rows_with_the_roster_headers(
    client, commerce_admin, dipu, dipu_network
):
    client.force_login(commerce_admin)

    response = client.get(reverse("sites:site-export"), {"township": dipu.pk, "tier": 3})

    workbook = open_xlsx(response)
    assert workbook.sheetnames == [exports.site_sheet_title()]
    sheet = workbook.active
    assert sheet.freeze_panes == "B3"
    assert sheet["A1"].value.startswith(f"{exports.site_sheet_title()}（递铺街道） 截至 ")
    header = header_row(sheet)
    assert list(header) == [column.header for column in exports.SITE_COLUMNS]
    assert len(header) == 21
    rows = data_rows(sheet)
    assert sorted(row[0] for row in rows) == sorted(p.code for p in dipu_network["points"])
    first = next(row for row in rows if row[1] == "递铺回收点1")
    values = dict(zip([column.key for column in exports.SITE_COLUMNS], first, strict=True))
    assert values["tier"] == SiteTier.COLLECTION_POINT.label
    assert values["status"] == SiteStatus.OPERATING.label
    assert values["township"] == "递铺街道"
    assert values["village"] == str(dipu_network["points"][0].village)
    assert values["latitude"] == pytest.approx(30.659)
    assert values["operator_name"] == dipu_network["operator"].name
    assert values["operator_credit_code"] == dipu_network["operator"].credit_code
    assert values["parent_code"] == dipu_network["station"].code
    assert values["materials"] == "废纸、废塑料"
    assert values["dual_use"] == "是"
    assert values["contact_phone"] == "13900001111"
    today = timezone.localdate()
    assert download_name(response) == f"站点花名册_递铺街道_{today:%Y%m%d}.xlsx"


def test_site_roster_of_the_whole_county_is_named_after_the_county(
    client, commerce_admin, dipu_network
):
    client.force_login(commerce_admin)

    response = client.get(reverse("sites:site-export"))

    rows = data_rows(open_xlsx(response).active)
    assert len(rows) == Site.objects.count() == 5
    assert download_name(response).startswith("站点花名册_安吉县_")


def test_operator_roster_holds_the_filtered_operators(client, commerce_admin, dipu):
    in_dipu = make_operator(
        actor=commerce_admin,
        seed=21,
        licence_issued_on=dt.date(2025, 3, 1),
        filing_number="安商备2025001",
    )
    make_operator(actor=commerce_admin, seed=22, township_code=CHANGSHUO)
    client.force_login(commerce_admin)

    response = client.get(reverse("sites:operator-export"), {"township": dipu.pk})

    sheet = open_xlsx(response)[exports.operator_sheet_title()]
    header = header_row(sheet)
    assert list(header) == [column.header for column in exports.OPERATOR_COLUMNS]
    rows = data_rows(sheet)
    assert [row[2] for row in rows] == [in_dipu.credit_code]
    values = dict(zip([column.key for column in exports.OPERATOR_COLUMNS], rows[0], strict=True))
    assert values["township"] == "递铺街道"
    assert values["licence_issued_on"].date() == dt.date(2025, 3, 1)
    assert values["filing_number"] == "安商备2025001"
    assert download_name(response).startswith("经营主体花名册_递铺街道_")


def test_township_officer_exports_only_their_township_even_when_asking_for_another(
    client, dipu_officer, changshuo, dipu_network
):
    client.force_login(dipu_officer)

    everything = data_rows(open_xlsx(client.get(reverse("sites:site-export"))).active)
    asked_for_changshuo = client.get(reverse("sites:site-export"), {"township": changshuo.pk})

    assert {row[4] for row in everything} == {"递铺街道"}
    assert len(everything) == 4
    assert data_rows(open_xlsx(asked_for_changshuo).active) == []
    assert download_name(asked_for_changshuo).startswith("站点花名册_递铺街道_")


@pytest.mark.parametrize("points", [1, 12])
def test_site_roster_runs_a_fixed_number_of_queries(
    client, commerce_admin, dipu, points, django_assert_max_num_queries
):
    operator = make_operator(actor=commerce_admin, seed=31)
    for number in range(points):
        register_point(
            actor=commerce_admin,
            name=f"查询计数回收点{number}",
            materials=["paper", "steel"],
            operator=operator,
        )
    client.force_login(commerce_admin)

    # session, user, township filter, count, rows (one cursor), materials, security event, and
    # the session saved on every request (savepoint, update, release)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("sites:site-export"), {"township": dipu.pk})
        rows = data_rows(open_xlsx(response).active)

    assert len(rows) == points


@pytest.mark.parametrize("operators", [1, 12])
def test_operator_roster_runs_a_fixed_number_of_queries(
    client, commerce_admin, operators, django_assert_max_num_queries
):
    for number in range(operators):
        make_operator(actor=commerce_admin, seed=40 + number)
    client.force_login(commerce_admin)

    # session, user, count, rows, security event, session saved (savepoint, update, release)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("sites:operator-export"))
        rows = data_rows(open_xlsx(response).active)

    assert len(rows) == operators


def test_each_export_is_recorded_in_the_security_log(client, leader, dipu_network):
    client.force_login(leader)

    response = client.get(reverse("sites:site-export"))

    event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT, user=leader)
    assert event.detail == download_name(response)


def test_a_user_without_a_role_may_not_export(client):
    user = UserFactory()
    user.save()
    client.force_login(user)

    assert client.get(reverse("sites:site-export")).status_code == 403
    assert client.get(reverse("sites:operator-export")).status_code == 403


def test_the_roster_writer_keeps_memory_flat_with_chunked_reads(commerce_admin, monkeypatch):
    """Rows are read CHUNK_SIZE at a time, each chunk with its own materials prefetch."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    for number in range(5):
        register_point(actor=commerce_admin, name=f"分块回收点{number}", materials=["glass"])
    queryset = exports.roster_filterset(
        kind=exports.BackgroundJob.Kind.SITE_EXPORT, user=commerce_admin, params={}
    ).qs

    workbook = exports.new_workbook()
    written = exports.write_roster(
        workbook, kind=exports.BackgroundJob.Kind.SITE_EXPORT, queryset=queryset
    )

    assert written == 5
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = data_rows(load_workbook(buffer).active)
    assert {row[14] for row in rows} == {"废玻璃"}


CHINESE_SITE_HEADERS = [
    "站点编号",
    "名称",
    "层级",
    "状态",
    "乡镇（街道）",
    "村（社区）",
    "场所类型",
    "地址",
    "纬度",
    "经度",
    "坐标系",
    "经营主体",
    "统一社会信用代码",
    "上级站点编号",
    "回收品类",
    "面积（㎡）",
    "日处理能力（吨）",
    "一场两用",
    "联系人",
    "联系电话",
    "备注",
]
CHINESE_OPERATOR_HEADERS = [
    "名称",
    "类型",
    "统一社会信用代码",
    "法定代表人",
    "联系电话",
    "所属乡镇（街道）",
    "注册地址",
    "经营范围",
    "营业执照发证日期",
    "有效期至",
    "备案编号",
    "备案日期",
    "备注",
]


def test_roster_headers_and_sheet_names_are_the_countys_chinese(client, commerce_admin):
    client.force_login(commerce_admin)

    sites = open_xlsx(client.get(reverse("sites:site-export"), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    operators = open_xlsx(
        client.get(reverse("sites:operator-export"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    )

    assert sites.sheetnames == ["站点"]
    assert header_row(sites.active) == CHINESE_SITE_HEADERS
    assert operators.sheetnames == ["经营主体"]
    assert header_row(operators.active) == CHINESE_OPERATOR_HEADERS
