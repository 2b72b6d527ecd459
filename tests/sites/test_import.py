"""Importing the rosters from Excel: the dry run finds every problem with its row and column and
writes nothing; the import writes all rows or none, and importing the same file again changes
nothing."""

import datetime as dt
import io
from decimal import Decimal

import prcoords
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from agencies.models import Village
from anji_recycling.xlsx import XLSX_CONTENT_TYPE
from sites import exports, imports
from sites.choices import OperatorKind, SiteStatus, SiteTier, VenueType
from sites.models import BackgroundJob, Material, Operator, Site, SiteStatusChange
from sites.selectors import operators_for_list, sites_for_list
from tests.conftest import CHANGSHUO
from tests.factories import credit_code, make_operator, make_site

pytestmark = pytest.mark.django_db

CHANGLE = "330523001018"  # 长乐社区, 递铺街道
GUANGCHANG = "330523002029"  # 广场社区, 昌硕街道


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


# Building workbooks -----------------------------------------------------------------------------


def label(choice) -> str:
    return str(choice.label)


def letter(columns, key) -> str:
    return get_column_letter([column.key for column in columns].index(key) + 1)


def workbook_bytes(*, operators=None, sites=None, language=None) -> bytes:
    """A workbook as a user fills it in: the roster sheets, headers in row 1, one dict a row."""
    with translation.override(language or translation.get_language()):
        workbook = Workbook()
        workbook.remove(workbook.active)
        for rows, title, columns in (
            (operators, exports.operator_sheet_title(), exports.OPERATOR_COLUMNS),
            (sites, exports.site_sheet_title(), exports.SITE_COLUMNS),
        ):
            if rows is None:
                continue
            sheet = workbook.create_sheet(title)
            sheet.append([column.header for column in columns])
            for row in rows:
                sheet.append([row.get(column.key) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="站点花名册.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def operator_row(seed=101, **changes):
    return {
        "name": f"安吉导入测试再生资源有限公司{seed}",
        "kind": label(OperatorKind.ENTERPRISE),
        "credit_code": credit_code(seed),
        "legal_representative": "赵六",
        "contact_phone": "13900002222",
        "township": "递铺街道",
        "address": "递铺街道天目路1号",
        "licence_issued_on": dt.date(2025, 3, 1),
        "licence_valid_until": dt.date(2035, 2, 28),
        "filed_on": dt.date(2025, 3, 20),
        **changes,
    }


def site_row(number, *, parent_code=None, operator_code=None, **changes):
    return {
        "name": f"长乐社区回收点{number}",
        "tier": label(SiteTier.COLLECTION_POINT),
        "status": label(SiteStatus.OPERATING),
        "township": "递铺街道",
        "village": "长乐社区",
        "venue_type": label(VenueType.COMMUNITY),
        "address": f"递铺街道长乐社区{number}号",
        "latitude": 30.659,
        "longitude": 119.692,
        "operator_credit_code": operator_code,
        "parent_code": parent_code,
        "materials": "废纸、废塑料",
        "floor_area": 30,
        "daily_capacity": 0.5,
        "dual_use": "否",
        "contact_name": "钱七",
        "contact_phone": "0572-5123456",
        **changes,
    }


@pytest.fixture
def station(commerce_admin):
    return make_site(actor=commerce_admin, tier=2, name="递铺街道中转分拣站")


@pytest.fixture
def roster_rows(station):
    """Two operators; two collection points in 递铺街道 delivering to its station, one in
    昌硕街道."""
    return {
        "operators": [operator_row(101), operator_row(102, township="昌硕街道")],
        "sites": [
            site_row(
                1,
                parent_code=station.code,
                operator_code=credit_code(101),
                village="长乐社区居委会",  # the NBS name; the short name and the code work too
            ),
            site_row(2, parent_code=station.code, operator_code=credit_code(101), village=CHANGLE),
            site_row(
                3,
                name="广场社区回收点",
                township="昌硕街道",
                village="广场社区",
                address="昌硕街道广场社区1号",
                operator_code=credit_code(102),
                dual_use="是",
                materials="废钢铁",
            ),
        ],
    }


def check(rows, *, user, **kwargs):
    return imports.parse_and_check(upload(workbook_bytes(**rows, **kwargs)), user=user)


def registry_counts():
    return (
        Operator.objects.count(),
        Site.objects.count(),
        SiteStatusChange.objects.count(),
        Site.history.count(),
        Operator.history.count(),
    )


# A valid file ----------------------------------------------------------------------------------


def test_a_valid_file_creates_exactly_what_it_holds(commerce_admin, station, roster_rows):
    result = check(roster_rows, user=commerce_admin)

    assert result.problems == []
    assert result.summary["operators"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert result.summary["sites"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert Site.objects.count() == 1  # the dry run wrote nothing

    counts = imports.apply_import(result, actor=commerce_admin)

    assert counts == {
        "operators": {"created": 2, "updated": 0, "unchanged": 0},
        "sites": {"created": 3, "updated": 0, "unchanged": 0},
    }
    assert Operator.objects.count() == 2
    assert Site.objects.count() == 4
    point = Site.objects.get(name="长乐社区回收点2")
    assert point.village.code == CHANGLE
    assert point.parent == station
    assert point.operator.credit_code == credit_code(101)
    assert point.code.startswith("330523001-3-")
    assert point.status == SiteStatus.OPERATING
    assert point.venue_type == VenueType.COMMUNITY
    assert point.latitude == Decimal("30.659")
    assert point.floor_area == Decimal("30")
    assert point.contact_phone == "0572-5123456"
    assert sorted(point.materials.values_list("code", flat=True)) == ["paper", "plastic"]
    first = point.history.get()
    assert first.history_user == commerce_admin
    assert (first.code, first.parent_id, first.history_type) == (point.code, station.pk, "+")
    assert first.history_change_reason == gettext("Excel import")
    assert point.created_at is not None and point.updated_at is not None
    change = point.status_changes.get()
    assert (change.actor, change.reason) == (commerce_admin, gettext("Excel import"))
    guangchang = Site.objects.get(name="广场社区回收点")
    assert (guangchang.township.code, guangchang.village.code) == (CHANGSHUO, GUANGCHANG)
    assert guangchang.dual_use is True
    assert list(guangchang.materials.values_list("code", flat=True)) == ["steel"]
    operator = Operator.objects.get(credit_code=credit_code(102))
    assert operator.township.code == CHANGSHUO
    assert operator.licence_valid_until == dt.date(2035, 2, 28)
    assert operator.history.get().history_user == commerce_admin


def test_a_township_officer_imports_into_their_own_township(dipu_officer, station, roster_rows):
    rows = {"operators": roster_rows["operators"][:1], "sites": roster_rows["sites"][:2]}

    result = check(rows, user=dipu_officer)
    imports.apply_import(result, actor=dipu_officer)

    assert result.problems == []
    assert Site.objects.filter(township__code="330523001", tier=3).count() == 2
    assert Site.objects.get(name="长乐社区回收点1").history.get().history_user == dipu_officer


def test_headers_written_in_another_language_are_understood(commerce_admin, roster_rows):
    result = check(roster_rows, user=commerce_admin, language="en")

    assert result.problems == []
    assert result.summary["sites"]["created"] == 3


def test_a_roster_with_the_headers_before_their_units_still_imports(commerce_admin, station):
    """面积 and 日处理能力 became 面积（㎡） and 日处理能力（吨）: a roster downloaded before
    still reads them."""
    content = workbook_bytes(sites=[site_row(1, floor_area=45, daily_capacity=2.5)])
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[exports.site_sheet_title()]
    for cell in sheet[1]:
        cell.value = {"面积（㎡）": "面积", "日处理能力（吨）": "日处理能力"}.get(
            cell.value, cell.value
        )
    assert {"面积", "日处理能力"} <= {cell.value for cell in sheet[1]}
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = imports.parse_and_check(upload(buffer.getvalue()), user=commerce_admin)
    assert result.problems == []
    imports.apply_import(result, actor=commerce_admin)

    site = Site.objects.get(name="长乐社区回收点1")
    assert (site.floor_area, site.daily_capacity) == (Decimal("45"), Decimal("2.5"))


@pytest.mark.parametrize("written", ["2025/3/1", "2025-03-01", "2025年3月1日", "2025.3.1"])
def test_dates_are_read_as_people_write_them(commerce_admin, written):
    result = check({"operators": [operator_row(licence_issued_on=written)]}, user=commerce_admin)

    assert result.problems == []
    assert result.operators[0].instance.licence_issued_on == dt.date(2025, 3, 1)


# Re-importing ----------------------------------------------------------------------------------


def test_importing_the_same_file_again_updates_rather_than_duplicates(commerce_admin, roster_rows):
    content = workbook_bytes(**roster_rows)
    imports.apply_import(
        imports.parse_and_check(upload(content), user=commerce_admin), actor=commerce_admin
    )
    before = registry_counts()

    again = imports.parse_and_check(upload(content), user=commerce_admin)
    counts = imports.apply_import(again, actor=commerce_admin)

    assert again.problems == []
    assert counts == {
        "operators": {"created": 0, "updated": 0, "unchanged": 2},
        "sites": {"created": 0, "updated": 0, "unchanged": 3},
    }
    assert registry_counts() == before  # not even a history row


def test_a_changed_row_updates_its_site_and_a_new_status_is_recorded(commerce_admin, roster_rows):
    imports.apply_import(check(roster_rows, user=commerce_admin), actor=commerce_admin)
    first = Site.objects.get(name="长乐社区回收点1")
    roster_rows["sites"][0].update(code=first.code, address="递铺街道长乐社区新址8号")
    roster_rows["sites"][1]["status"] = label(SiteStatus.RECTIFYING)
    roster_rows["operators"][1]["contact_phone"] = "13900003333"

    result = check(roster_rows, user=commerce_admin)
    counts = imports.apply_import(result, actor=commerce_admin)

    assert counts["sites"] == {"created": 0, "updated": 2, "unchanged": 1}
    assert counts["operators"] == {"created": 0, "updated": 1, "unchanged": 1}
    first.refresh_from_db()
    assert first.address == "递铺街道长乐社区新址8号"
    second = Site.objects.get(name="长乐社区回收点2")
    assert second.status == SiteStatus.RECTIFYING
    change = second.status_changes.first()
    assert (change.from_status, change.to_status) == (SiteStatus.OPERATING, SiteStatus.RECTIFYING)
    assert change.reason == gettext("Excel import")
    assert Site.objects.count() == 4


def test_a_downloaded_roster_imports_back_unchanged(client, commerce_admin, station):
    operator = make_operator(actor=commerce_admin, seed=61, licence_issued_on=dt.date(2025, 1, 2))
    for number in range(3):
        site = make_site(
            actor=commerce_admin,
            name=f"往返回收点{number}",
            operator=operator,
            parent=station,
            venue_type="school",
            latitude=Decimal("30.612345"),
            longitude=Decimal("119.654321"),
            floor_area=Decimal("12.5"),
            daily_capacity=Decimal("0.75"),
            dual_use=True,
            note="第一行\n第二行",
        )
        site.materials.set(Material.objects.filter(code__in=["steel", "tyre"]))
    make_site(actor=commerce_admin, status="illegal", village=None, name="违规点")
    workbook = exports.new_workbook()
    exports.write_roster(
        workbook,
        kind=BackgroundJob.Kind.OPERATOR_EXPORT,
        queryset=operators_for_list(user=commerce_admin),
    )
    exports.write_roster(
        workbook,
        kind=BackgroundJob.Kind.SITE_EXPORT,
        queryset=sites_for_list(user=commerce_admin),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = imports.parse_and_check(upload(buffer.getvalue()), user=commerce_admin)

    assert result.problems == []
    assert result.summary["operators"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert result.summary["sites"] == {"created": 0, "updated": 0, "unchanged": 5}


def test_a_downloaded_roster_missing_a_column_names_its_header_row(commerce_admin, station):
    """An exported roster's header is row 2, under its title: the missing column is reported
    there, not at row 1 (the template's header)."""
    make_site(actor=commerce_admin, name="缺列回收点", parent=station)
    workbook = exports.new_workbook()
    exports.write_roster(
        workbook,
        kind=BackgroundJob.Kind.SITE_EXPORT,
        queryset=sites_for_list(user=commerce_admin),
    )
    written = io.BytesIO()
    workbook.save(written)
    workbook = load_workbook(io.BytesIO(written.getvalue()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[2]]
    address = next(i for i, value in enumerate(headers, start=1) if "地址" in str(value))
    sheet.delete_cols(address)
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = imports.parse_and_check(upload(buffer.getvalue()), user=commerce_admin)

    missing = [problem for problem in result.problems if "缺少此列" in problem.message]
    assert [(problem.row, problem.message) for problem in missing] == [
        (2, "表头行（第2行）缺少此列：请使用导入模板填写。")
    ]


def test_closing_a_site_and_clearing_its_village_changes_the_status_first(commerce_admin, station):
    site = make_site(actor=commerce_admin, name="将关闭回收点")
    row = site_row(1, name=site.name, code=site.code, village=None, status=label(SiteStatus.CLOSED))

    result = check({"sites": [row]}, user=commerce_admin)
    imports.apply_import(result, actor=commerce_admin)

    site.refresh_from_db()
    assert (site.status, site.village) == (SiteStatus.CLOSED, None)


def test_regularising_an_illegal_point_sets_its_village_before_its_status(commerce_admin):
    point = make_site(actor=commerce_admin, status="illegal", village=None, name="违规回收点")
    row = site_row(1, name=point.name, code=point.code, status=label(SiteStatus.RECTIFYING))

    result = check({"sites": [row]}, user=commerce_admin)
    imports.apply_import(result, actor=commerce_admin)

    point.refresh_from_db()
    assert point.status == SiteStatus.RECTIFYING
    assert point.village.code == CHANGLE


# Problems --------------------------------------------------------------------------------------


def test_one_bad_row_among_many_writes_nothing_and_names_its_row_and_column(
    commerce_admin, station
):
    rows = [site_row(number, parent_code=station.code) for number in range(1, 31)]
    rows[12]["latitude"] = 31.5  # row 14: north of Anji
    before = registry_counts()

    result = check({"sites": rows}, user=commerce_admin)

    assert [(p.sheet, p.row, p.column) for p in result.problems] == [
        (exports.site_sheet_title(), 14, letter(exports.SITE_COLUMNS, "latitude"))
    ]
    assert result.problems[0].header == exports.SITE_COLUMNS[8].header
    with pytest.raises(ValidationError):
        imports.apply_import(result, actor=commerce_admin)
    assert registry_counts() == before


def test_problems_say_what_and_where(commerce_admin, station):
    with translation.override("en"):
        result = check({"sites": [site_row(1, township="不存在街道")]}, user=commerce_admin)

        (problem,) = result.problems
        assert problem.message == "No township named 不存在街道 in Anji County."
        assert str(problem) == (
            "Row 2, column “Township” (column E): No township named 不存在街道 in Anji County."
        )


def _site(rows, index=1, **changes):
    rows["sites"][index].update(changes)


def _operator(rows, index=0, **changes):
    rows["operators"][index].update(changes)


BAD_CODE = credit_code(7)[:-1] + ("0" if credit_code(7)[-1] != "0" else "1")

# (what, change to the rows, sheet, row number, column key); the rows are roster_rows' with a
# third site row: row 2 is the first site, row 3 the second, on the operators sheet row 2.
PROBLEMS = [
    ("required cell", lambda r, c: _site(r, name=None), "sites", 3, "name"),
    ("unknown township", lambda r, c: _site(r, township="不存在街道"), "sites", 3, "township"),
    ("unknown village", lambda r, c: _site(r, village="不存在村"), "sites", 3, "village"),
    ("village elsewhere", lambda r, c: _site(r, village="广场社区"), "sites", 3, "village"),
    ("village code elsewhere", lambda r, c: _site(r, village=GUANGCHANG), "sites", 3, "village"),
    (
        "outside Anji",
        lambda r, c: _site(r, latitude=31.23, longitude=121.47),
        "sites",
        3,
        "latitude",
    ),
    ("longitude outside", lambda r, c: _site(r, longitude=121.47), "sites", 3, "longitude"),
    ("one coordinate only", lambda r, c: _site(r, longitude=None), "sites", 3, "longitude"),
    (
        "credit code check digit (operators)",
        lambda r, c: _operator(r, credit_code=BAD_CODE),
        "operators",
        2,
        "credit_code",
    ),
    (
        "credit code check digit (sites)",
        lambda r, c: _site(r, operator_credit_code=BAD_CODE),
        "sites",
        3,
        "operator_credit_code",
    ),
    ("phone (sites)", lambda r, c: _site(r, contact_phone="12345"), "sites", 3, "contact_phone"),
    (
        "phone (operators)",
        lambda r, c: _operator(r, contact_phone="5123"),
        "operators",
        2,
        "contact_phone",
    ),
    ("unknown tier", lambda r, c: _site(r, tier="四级网点"), "sites", 3, "tier"),
    ("unknown status", lambda r, c: _site(r, status="营业中吧"), "sites", 3, "status"),
    ("unknown venue type", lambda r, c: _site(r, venue_type="寺庙"), "sites", 3, "venue_type"),
    ("unknown material", lambda r, c: _site(r, materials="废纸、黄金"), "sites", 3, "materials"),
    ("unknown operator kind", lambda r, c: _operator(r, kind="合作社"), "operators", 2, "kind"),
    (
        "parent is not a station",
        lambda r, c: _site(r, parent_code=c["point"].code),
        "sites",
        3,
        "parent_code",
    ),
    (
        "parent number unknown",
        lambda r, c: _site(r, parent_code="330523001-2-9999"),
        "sites",
        3,
        "parent_code",
    ),
    (
        "operator nowhere",
        lambda r, c: _site(r, operator_credit_code=credit_code(999)),
        "sites",
        3,
        "operator_credit_code",
    ),
    (
        "operator by name only",
        lambda r, c: _site(r, operator_credit_code=None, operator_name="某回收公司"),
        "sites",
        3,
        "operator_credit_code",
    ),
    (
        "same site number twice",
        lambda r, c: (_site(r, 0, code=c["point"].code), _site(r, 1, code=c["point"].code)),
        "sites",
        3,
        "code",
    ),
    ("same new site twice", lambda r, c: _site(r, name="长乐社区回收点1"), "sites", 3, "name"),
    (
        "same credit code twice",
        lambda r, c: r["operators"].append(operator_row(101, name="重复公司")),
        "operators",
        3,
        "credit_code",
    ),
    ("unknown site number", lambda r, c: _site(r, code="330523001-3-9999"), "sites", 3, "code"),
    (
        "two sites of that name",
        lambda r, c: _site(r, name=c["twins"][0].name),
        "sites",
        3,
        "name",
    ),
    (
        "status change not allowed",
        lambda r, c: _site(
            r, code=c["point"].code, name=c["point"].name, status=label(SiteStatus.PLANNED)
        ),
        "sites",
        3,
        "status",
    ),
    (
        "venue type of a station (model rule)",
        lambda r, c: _site(r, tier=label(SiteTier.TRANSFER_STATION), parent_code=None),
        "sites",
        3,
        "venue_type",
    ),
    (
        "collection point without village (model rule)",
        lambda r, c: _site(r, village=None),
        "sites",
        3,
        "village",
    ),
    (
        "licence ends before it is issued (constraint)",
        lambda r, c: _operator(r, licence_valid_until=dt.date(2024, 1, 1)),
        "operators",
        2,
        "licence_valid_until",
    ),
    ("not a date", lambda r, c: _operator(r, filed_on="去年春天"), "operators", 2, "filed_on"),
    ("not a number", lambda r, c: _site(r, floor_area="很大"), "sites", 3, "floor_area"),
    ("not yes or no", lambda r, c: _site(r, dual_use="也许"), "sites", 3, "dual_use"),
]


@pytest.fixture
def existing(commerce_admin, station):
    """Sites the problem cases refer to: an operating collection point, two of the same name."""
    return {
        "point": make_site(actor=commerce_admin, name="已登记回收点", parent=station),
        "twins": [make_site(actor=commerce_admin, name="同名回收点") for _ in range(2)],
    }


@pytest.mark.parametrize(
    ("change", "sheet", "row", "key"),
    [case[1:] for case in PROBLEMS],
    ids=[case[0] for case in PROBLEMS],
)
def test_each_kind_of_problem_is_found_on_its_row_and_column(
    commerce_admin, roster_rows, existing, change, sheet, row, key
):
    parent_code = roster_rows["sites"][0]["parent_code"]
    roster_rows["operators"] = roster_rows["operators"][:1]
    roster_rows["sites"] = [
        site_row(1, parent_code=parent_code),
        site_row(9, parent_code=parent_code),
    ]
    change(roster_rows, existing)
    title, columns = {
        "sites": (exports.site_sheet_title(), exports.SITE_COLUMNS),
        "operators": (exports.operator_sheet_title(), exports.OPERATOR_COLUMNS),
    }[sheet]

    result = check(roster_rows, user=commerce_admin)

    assert (title, row, letter(columns, key)) in [
        (p.sheet, p.row, p.column) for p in result.problems
    ]
    assert {(p.sheet, p.row) for p in result.problems} == {(title, row)}, result.problems
    assert all(p.message for p in result.problems)


@pytest.mark.parametrize(
    ("change", "sheet", "row", "key"),
    [
        (lambda r, c: _site(r, township="昌硕街道", village="广场社区"), "sites", 3, "township"),
        (lambda r, c: _site(r, code=c["changshuo"].code, name="x"), "sites", 3, "code"),
        (
            lambda r, c: _operator(r, credit_code=c["operator"].credit_code),
            "operators",
            2,
            "credit_code",
        ),
        (lambda r, c: _operator(r, township="昌硕街道"), "operators", 2, "township"),
    ],
    ids=["new site", "existing site", "existing operator", "new operator"],
)
def test_a_township_officer_may_not_import_outside_their_township(
    commerce_admin, dipu_officer, roster_rows, change, sheet, row, key
):
    others = {
        "changshuo": make_site(actor=commerce_admin, township_code=CHANGSHUO),
        "operator": make_operator(actor=commerce_admin, seed=71, township_code=CHANGSHUO),
    }
    parent_code = roster_rows["sites"][0]["parent_code"]
    roster_rows["operators"] = roster_rows["operators"][:1]
    roster_rows["sites"] = [
        site_row(1, parent_code=parent_code),
        site_row(9, parent_code=parent_code),
    ]
    change(roster_rows, others)
    columns = exports.SITE_COLUMNS if sheet == "sites" else exports.OPERATOR_COLUMNS

    result = check(roster_rows, user=dipu_officer)

    assert [(p.row, p.column) for p in result.problems] == [(row, letter(columns, key))]


def test_a_missing_required_column_is_reported_once_not_on_every_row(commerce_admin):
    rows = [site_row(number) for number in range(1, 6)]
    for row in rows:
        del row["township"]
    content = workbook_bytes(sites=rows)
    workbook = load_workbook(io.BytesIO(content))
    workbook.active.delete_cols(5)  # the township column
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = imports.parse_and_check(upload(buffer.getvalue()), user=commerce_admin)

    assert [(p.row, p.column, p.header) for p in result.problems] == [
        (1, "", exports.SITE_COLUMNS[4].header)
    ]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"name,township\n\xe5\x9b\x9e\xe6\x94\xb6\xe7\x82\xb9,\n", "roster.csv"),
        (b"this is not a workbook", "roster.xlsx"),
        (b"PK\x03\x04 not really a zip", "roster.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "roster.xls"),
    ],
    ids=["csv", "text", "broken zip", "old xls"],
)
def test_a_file_that_is_not_a_readable_xlsx_is_refused_with_a_message(
    commerce_admin, content, name
):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        imports.parse_and_check(upload(content, name), user=commerce_admin)

    assert refused.value.code == "not_xlsx"
    assert f"{name} is not an Excel workbook (.xlsx)" in refused.value.messages[0]


def test_a_workbook_without_roster_sheets_is_refused(commerce_admin):
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    workbook.active.append(["随便", "什么"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(ValidationError) as refused:
        imports.parse_and_check(upload(buffer.getvalue()), user=commerce_admin)

    assert refused.value.code == "no_roster_sheet"


def test_the_upload_page_refuses_a_file_that_is_not_xlsx(client, commerce_admin):
    client.force_login(commerce_admin)

    response = client.post(
        reverse("sites:import"),
        {"file": upload(b"plain text", "名单.xlsx")},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "名单.xlsx" in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not BackgroundJob.objects.exists()


# The marked workbook ---------------------------------------------------------------------------


def test_the_marked_workbook_fills_the_bad_cell_red_and_explains_each_row(commerce_admin, station):
    rows = [site_row(number, parent_code=station.code) for number in range(1, 6)]
    rows[2]["contact_phone"] = "12345"  # row 4
    rows[2]["tier"] = "四级"
    content = workbook_bytes(sites=rows)
    result = imports.parse_and_check(upload(content), user=commerce_admin)

    marked = imports.marked_workbook(io.BytesIO(content), result.problems)

    sheet = marked[exports.site_sheet_title()]
    notes_column = len(exports.SITE_COLUMNS) + 1
    assert sheet.cell(row=1, column=notes_column).value == imports.problems_column_header()
    phone = sheet[f"{letter(exports.SITE_COLUMNS, 'contact_phone')}4"]
    assert phone.fill.fgColor.rgb.endswith("FFC7CE")
    assert "12345" in phone.comment.text
    assert sheet[f"{letter(exports.SITE_COLUMNS, 'tier')}4"].comment is not None
    note = sheet.cell(row=4, column=notes_column).value
    assert note == "\n".join(p.cell_text for p in result.problems)
    assert len(result.problems) == 2
    assert sheet.cell(row=3, column=notes_column).value is None
    assert sheet["A3"].comment is None


def test_a_marked_workbook_checked_again_keeps_one_problems_column(commerce_admin, station):
    rows = [site_row(1, parent_code=station.code), site_row(2, contact_phone="12345")]
    content = workbook_bytes(sites=rows)
    first = imports.parse_and_check(upload(content), user=commerce_admin)
    buffer = io.BytesIO()
    imports.marked_workbook(io.BytesIO(content), first.problems).save(buffer)
    marked = buffer.getvalue()

    again = imports.parse_and_check(upload(marked), user=commerce_admin)
    remarked = imports.marked_workbook(io.BytesIO(marked), [])

    assert [p[:3] for p in again.problems] == [p[:3] for p in first.problems]
    sheet = remarked[exports.site_sheet_title()]
    assert sheet.max_column == len(exports.SITE_COLUMNS) + 1
    assert sheet.cell(row=3, column=sheet.max_column).value is None
    assert sheet[f"{letter(exports.SITE_COLUMNS, 'contact_phone')}3"].comment is None


# The template ----------------------------------------------------------------------------------


def test_the_template_has_both_sheets_and_lists_every_allowed_value(client, commerce_admin):
    client.force_login(commerce_admin)

    response = client.get(reverse("sites:import-template"))

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        exports.operator_sheet_title(),
        exports.site_sheet_title(),
        imports.instructions_sheet_title(),
    ]
    for title, columns in (
        (exports.operator_sheet_title(), exports.OPERATOR_COLUMNS),
        (exports.site_sheet_title(), exports.SITE_COLUMNS),
    ):
        header = next(workbook[title].iter_rows(max_row=1, values_only=True))
        assert list(header) == [column.header for column in columns]
    guide = {
        value
        for row in workbook[imports.instructions_sheet_title()].iter_rows(values_only=True)
        for value in row
    }
    for choices in (SiteTier, SiteStatus, VenueType, OperatorKind):
        assert {str(label) for _value, label in choices.choices} <= guide
    assert set(Material.objects.values_list("name", flat=True)) <= guide
    assert {"递铺街道", "长乐社区"} <= guide


def test_a_filled_in_template_imports(client, commerce_admin, station):
    client.force_login(commerce_admin)
    template = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("sites:import-template")).streaming_content))
    )
    operator = operator_row(301)
    point = site_row(1, parent_code=station.code, operator_code=credit_code(301))
    template[exports.operator_sheet_title()].append(
        [operator.get(c.key) for c in exports.OPERATOR_COLUMNS]
    )
    template[exports.site_sheet_title()].append([point.get(c.key) for c in exports.SITE_COLUMNS])
    buffer = io.BytesIO()
    template.save(buffer)

    result = imports.parse_and_check(upload(buffer.getvalue()), user=commerce_admin)

    assert result.problems == []
    assert result.summary["sites"]["created"] == result.summary["operators"]["created"] == 1


@pytest.mark.parametrize("role", ["market_officer", "leader", "dipu_grid_worker"])
def test_only_users_who_register_sites_may_import(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("sites:import")).status_code == 403
    assert client.get(reverse("sites:import-template")).status_code == 403
    response = client.post(reverse("sites:import"), {"file": upload(b"x")})
    assert response.status_code == 403


def test_the_village_list_is_the_real_one(dipu):
    """The cases above lean on Anji's real villages."""
    assert Village.objects.get(code=CHANGLE).short_name == "长乐社区"
    assert Village.objects.get(code=GUANGCHANG).township.code == CHANGSHUO


def test_every_site_constraint_is_also_a_rule_of_clean_which_the_dry_run_checks():
    """The dry run leaves the site's constraints to Site.clean(), which holds the same rules
    (a query a row each would triple its time). A new constraint needs its rule in clean()
    too, or its own check in the importer."""
    assert {c.name for c in Site._meta.constraints} == imports.SITE_CONSTRAINTS_IN_CLEAN


def test_every_operator_constraint_is_also_a_rule_of_clean_which_the_dry_run_checks():
    assert {c.name for c in Operator._meta.constraints} == imports.OPERATOR_CONSTRAINTS_IN_CLEAN


def test_an_operator_contract_ending_before_it_starts_is_refused_on_its_field(dipu):
    operator = Operator(
        name="合同日期测试",
        kind=OperatorKind.ENTERPRISE,
        credit_code=credit_code(7),
        legal_representative="张三",
        contact_phone="13900000000",
        township=dipu,
        contract_starts_on=dt.date(2026, 5, 1),
        contract_ends_on=dt.date(2026, 4, 30),
    )

    with pytest.raises(ValidationError) as refused:
        operator.full_clean()

    assert refused.value.message_dict == {
        "contract_ends_on": ["运营合同的截止日期不能早于起始日期。"]
    }


def test_a_rule_the_dry_run_missed_stops_the_whole_import_naming_its_row(
    commerce_admin, roster_rows, monkeypatch
):
    result = check(roster_rows, user=commerce_admin)
    before = registry_counts()
    calls = []
    clean = Site.clean

    def refuse_the_third(site):
        calls.append(site)
        if len(calls) == 3:
            raise ValidationError({"name": "一条新规则"})
        return clean(site)

    monkeypatch.setattr(Site, "clean", refuse_the_third)

    with pytest.raises(ValidationError) as refused:
        imports.apply_import(result, actor=commerce_admin)

    assert refused.value.code == "row_refused"
    assert "4" in refused.value.messages[0] and "一条新规则" in refused.value.messages[0]
    assert registry_counts() == before


def test_an_operator_registered_between_check_and_import_stops_the_whole_import(
    commerce_admin, station, roster_rows
):
    result = check(roster_rows, user=commerce_admin)
    make_operator(actor=commerce_admin, seed=102, name="别处刚登记的经营主体")
    before = registry_counts()

    with pytest.raises(ValidationError) as refused:
        imports.apply_import(result, actor=commerce_admin)

    assert refused.value.code == "unique"
    assert "已在此期间登记" in refused.value.messages[0]
    assert credit_code(102) in refused.value.messages[0]
    assert registry_counts() == before


def test_the_template_and_the_marked_workbook_speak_chinese(client, commerce_admin):
    client.force_login(commerce_admin)

    response = client.get(reverse("sites:import-template"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["经营主体", "站点", "填写说明"]
    assert imports.problems_column_header() == "错误说明"
    assert str(imports.Problem("站点", 5, "I", "纬度", "位置不在安吉县范围内")).startswith("第5行")


# Coordinate systems ----------------------------------------------------------------------------

# 长乐社区, WGS-84, and the same place as 高德/腾讯 (GCJ-02) and 百度 (BD-09) show it.
WGS_POSITION = (30.659, 119.692)
GCJ_POSITION = tuple(prcoords.wgs_gcj(WGS_POSITION))
BD_POSITION = tuple(prcoords.wgs_bd(WGS_POSITION))


@pytest.mark.parametrize(
    ("system", "position"),
    [
        ("GCJ-02（高德、腾讯）", GCJ_POSITION),
        ("高德", GCJ_POSITION),
        ("BD-09（百度）", BD_POSITION),
        ("bd09", BD_POSITION),
        ("WGS-84", WGS_POSITION),
        (None, WGS_POSITION),
    ],
)
def test_a_position_copied_from_a_chinese_map_app_is_stored_as_wgs84(
    commerce_admin, system, position
):
    assert GCJ_POSITION[0] != pytest.approx(WGS_POSITION[0], abs=1e-4)  # offsets of ~500 m
    row = site_row(1, latitude=position[0], longitude=position[1], coordinate_system=system)

    result = check({"sites": [row]}, user=commerce_admin)
    assert result.problems == []
    imports.apply_import(result, actor=commerce_admin)

    site = Site.objects.get(name="长乐社区回收点1")
    assert float(site.latitude) == pytest.approx(WGS_POSITION[0], abs=2e-6)
    assert float(site.longitude) == pytest.approx(WGS_POSITION[1], abs=2e-6)


def test_an_unknown_coordinate_system_names_its_row_and_column_and_writes_nothing(
    commerce_admin,
):
    rows = [site_row(1), site_row(2, coordinate_system="北京54")]
    before = registry_counts()

    result = check({"sites": rows}, user=commerce_admin)

    (problem,) = result.problems
    column = letter(exports.SITE_COLUMNS, "coordinate_system")
    assert (problem.row, problem.column, problem.header) == (3, column, "坐标系")
    assert "北京54" in problem.message and "GCJ-02（高德、腾讯）" in problem.message
    assert str(problem).startswith(f"第3行，“坐标系”列（{column}列）：")
    with pytest.raises(ValidationError):
        imports.apply_import(result, actor=commerce_admin)
    assert registry_counts() == before


def test_the_roster_says_its_positions_are_wgs84(commerce_admin, station):
    make_site(
        actor=commerce_admin,
        name="有坐标点",
        latitude=Decimal("30.63"),
        longitude=Decimal("119.68"),
    )
    workbook = exports.new_workbook()
    exports.write_roster(
        workbook, kind=BackgroundJob.Kind.SITE_EXPORT, queryset=sites_for_list(user=commerce_admin)
    )

    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(buffer)[exports.site_sheet_title()]
    headers = [cell.value for cell in sheet[2]]  # under the title row
    systems = {
        row[headers.index("名称")]: row[headers.index("坐标系")]
        for row in sheet.iter_rows(min_row=3, values_only=True)
    }
    assert systems["有坐标点"] == "WGS-84"
