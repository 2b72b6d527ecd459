"""No .xlsx the portal produces carries a live formula (OWASP "CSV/formula injection").

Every text field of the portal's models is filled with text that a spreadsheet would read as a
formula (`=HYPERLINK(...)`, `+1+1`, `-2+3`, `@SUM(A1)`, a leading tab or carriage return);
then every export is produced through its real view (and the large roster through its
background job), opened with openpyxl and checked: no cell is a formula, and the text reads as
entered (a text cell with the quote prefix Excel and WPS honour; anji_recycling/xlsx.py says
why). The exports are found, not listed: every URL whose view hands out an .xlsx must be
produced here, and no module but the shared writer may create, open for writing or save a
workbook.
"""

import ast
import datetime as dt
import functools
import inspect
import io
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse
from openpyxl import Workbook, load_workbook

from accounts.choices import Role
from agencies import meetings, services
from agencies.models import Agency, LeadingGroupMembership, LeadingGroupPost, Township
from anji_recycling.anji_time import ANJI
from assessments.choices import IndicatorKind, PeriodKind
from assessments.models import AssessmentScheme
from assessments.services import (
    compute_period,
    file_objection,
    lock_period,
    open_period,
    publish_period,
    record_deduction,
)
from inspections.choices import CaseStatus
from sites import exports
from sites.models import BackgroundJob
from tests.agencies.test_meetings import held_meeting
from tests.conftest import DIPU
from tests.dashboards.conftest import make_case
from tests.factories import make_operator, make_site, make_subsidy, make_user
from tests.network.conftest import make_project
from tests.portal_forms import portal_packages
from tests.sites.test_import import site_row, upload
from trade.models import PriceEntry, Transfer
from trade.services import publish_price, record_transfer, settle_transfers

pytestmark = pytest.mark.django_db

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # OWASP's
PAYLOADS = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")
PROJECT = Path(settings.BASE_DIR)
# Every app of the portal: a new app's models are filled and its exports must be listed below.
APPS = tuple(name for name in portal_packages() if name != "anji_recycling")
NOW = dt.datetime(2026, 4, 10, 10, 0, tzinfo=ANJI)  # Q1 2026 is over and can be assessed
# Text the portal generates or validates itself, never typed as free text.
NOT_FREE_TEXT = {"password", "username", "code", "number", "credit_code", "urban_rural_code"}


def as_read(text: str) -> str:
    """Text as a spreadsheet reads it back: XML turns CR and CR LF into LF (a line break)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Finding the exports ----------------------------------------------------------------------------

XLSX_MARKERS = {"xlsx_response", "XLSX_CONTENT_TYPE"}


def _names(node) -> set:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
    }


@functools.cache
def _xlsx_functions(module) -> frozenset:
    """The module's functions that hand out an .xlsx, directly or through one another."""
    uses = {
        node.name: _names(node)
        for node in ast.parse(inspect.getsource(module)).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    found = {name for name, names in uses.items() if names & XLSX_MARKERS}
    while more := {name for name, names in uses.items() if names & found} - found:
        found |= more
    return frozenset(found)


def _url_callbacks(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_callbacks(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name}", pattern.callback


def xlsx_urls() -> set:
    """The names of the URLs whose view (a function or a class of the portal) hands out .xlsx."""
    found = set()
    for name, callback in _url_callbacks(get_resolver().url_patterns):
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        view = view or inspect.unwrap(callback)
        module = inspect.getmodule(view)
        if module is None or not module.__name__.startswith((*APPS, "anji_recycling")):
            continue
        source = ast.parse(textwrap.dedent(inspect.getsource(view)))
        if _names(source) & (XLSX_MARKERS | _xlsx_functions(module)):
            found.add(name)
    return found


def portal_modules():
    for path in sorted(PROJECT.rglob("*.py")):
        parts = path.relative_to(PROJECT).parts
        if parts[0] in {".venv", "node_modules", "tests", "staticfiles"} or "migrations" in parts:
            continue
        yield path


WRITING = {"Workbook", "load_workbook", "Cell", "WriteOnlyCell", "MergedCell"}
WRITING_MODULES = ("openpyxl.workbook", "openpyxl.reader", "openpyxl.cell", "openpyxl.writer")


def test_only_the_shared_writer_creates_opens_or_saves_workbooks():
    """Every xlsx goes through anji_recycling/xlsx.py, which writes text as text."""
    offenders = []
    for path in portal_modules():
        # The shared writer, and its rows written as XML (part of it, one module apart).
        if path in (
            PROJECT / "anji_recycling" / "xlsx.py",
            PROJECT / "anji_recycling" / "xlsx_rows.py",
        ):
            continue
        # The benchmark's anchor is bare openpyxl on purpose; it writes no user's file.
        if path == PROJECT / "sites" / "benchmarks.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import) and any(
                alias.name.split(".")[0] == "openpyxl" for alias in node.names
            ):
                offenders.append(f"{path}: import openpyxl")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                names = {alias.name for alias in node.names}
                if names & WRITING or node.module.startswith(WRITING_MODULES):
                    offenders.append(f"{path}: from {node.module} import {', '.join(names)}")
    assert offenders == []


def test_the_check_finds_each_module_that_would_bypass_the_writer(tmp_path, monkeypatch):
    """The check above can fail: a module building its own workbook is found."""
    (tmp_path / "sneaky.py").write_text("from openpyxl import Workbook\n")
    monkeypatch.setattr(f"{__name__}.PROJECT", tmp_path)
    with pytest.raises(AssertionError, match="sneaky.py"):
        test_only_the_shared_writer_creates_opens_or_saves_workbooks()


# A portal full of formula-like text ------------------------------------------------------------


def free_text_fields(model) -> list:
    unique_together = {
        name
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        for name in constraint.fields
    } | {name for names in model._meta.unique_together for name in names}
    return [
        (field, field.unique or field.name in unique_together)
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in NOT_FREE_TEXT
    ]


def fill_with_payloads() -> set:
    """Every free text field of every row of the portal's models (history tables aside) gets
    a payload, in turn (unique ones numbered, long ones cut to fit); the texts written."""
    written, turn = set(), 0
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model.__name__.startswith("Historical"):
            continue
        fields = free_text_fields(model)
        if not fields:
            continue
        for pk in model.objects.order_by("pk").values_list("pk", flat=True):
            values = {}
            for field, unique in fields:
                suffix = f" {pk}" if unique else ""
                text = PAYLOADS[turn % len(PAYLOADS)]
                turn += 1
                limit = (field.max_length or 1000) - len(suffix)
                values[field.name] = text[:limit] + suffix
            model.objects.filter(pk=pk).update(**values)
            written |= set(values.values())
    return written


@pytest.fixture
def portal(commerce_admin, dipu_officer, assessor, dipu_village):
    """Something in every export: sites and an operator, an overdue case with an assisting
    agency, the leading group, a held meeting with an open action item, and Q1's published
    assessment with a deduction and an objection; then formula-like text everywhere."""
    with time_machine.travel(NOW, tick=False):
        operator = make_operator(actor=commerce_admin, seed=21, note="备注")
        station = make_site(actor=commerce_admin, tier=2)
        point = make_site(
            actor=commerce_admin, operator=operator, parent=station, village=dipu_village
        )
        transfer = record_transfer(
            transfer=Transfer(
                transferred_on=dt.date(2026, 4, 1),
                from_site=point,
                to_site=station,
                material=station_handles("paper", station),
                weight_kg=Decimal(500),
                unit_price=Decimal(0),
                reason="公益回收",
            ),
            actor=commerce_admin,
        )
        settle_transfers(
            payer=station,
            payee=point,
            period_start=dt.date(2026, 4, 1),
            period_end=dt.date(2026, 4, 1),
            transfers=[transfer],
            actor=commerce_admin,
            payment_reference="转账",
        )
        publish_price(
            entry=PriceEntry(
                material=transfer.material,
                seller_tier=3,
                price=Decimal(1500),
                effective_from=dt.date(2026, 4, 1),
                note="备注",
            ),
            actor=commerce_admin,
        )
        make_case(
            site=point,
            category="pollution",
            status=CaseStatus.HANDLING,
            reported_at=NOW - dt.timedelta(days=20),
            stage_deadline=dt.date(2026, 4, 1),
            reporter=commerce_admin,
            assisting=["market"],
        )
        services.save_membership(
            membership=LeadingGroupMembership(
                post=LeadingGroupPost.objects.get(role="leader"),
                person_name="王组长",
                job_title="副县长",
                phone="13900001111",
                start_date=dt.date(2026, 1, 1),
            ),
            actor=commerce_admin,
        )
        market = Agency.objects.get(code="market")
        meeting = held_meeting(
            commerce_admin, starts_at=NOW - dt.timedelta(days=30), agencies=[market]
        )
        item = meetings.add_action_item(
            meeting=meeting,
            agency=market,
            description="清理无证经营回收点",
            due_on=dt.date(2026, 4, 1),
            actor=commerce_admin,
        )
        meetings.report_progress(item=item, author=commerce_admin, text="已排查")
        scheme = AssessmentScheme.objects.get(code="long-term-management", version=1)
        period = open_period(
            scheme=scheme, kind=PeriodKind.QUARTER, year=2026, quarter=1, actor=commerce_admin
        )
        deduction = record_deduction(
            period=period,
            township=Township.objects.get(code=dipu_officer.township.code),
            indicator=scheme.indicators.get(kind=IndicatorKind.ASSESSOR_DEDUCTIONS),
            points=Decimal(2),
            reason="台账缺失",
            actor=assessor,
        )
        compute_period(period=period, actor=commerce_admin)
        lock_period(period=period, actor=commerce_admin)
        publish_period(period=period, actor=commerce_admin)
        file_objection(deduction=deduction, reason="已整改", actor=dipu_officer)
        make_user(Role.GRID_WORKER, township_code=DIPU, first_name="网格", last_name="员")
        make_project(actor=commerce_admin, township=dipu_village.township, village=dipu_village)
        make_subsidy(actor=commerce_admin, operator=operator, granted_on=dt.date(2026, 4, 1))
        written = fill_with_payloads()
    return {"period": period, "written": {as_read(text) for text in written}}


def station_handles(code, station):
    from sites.models import Material

    material = Material.objects.get(code=code)
    station.materials.add(material)
    return material


# Producing every export through its view --------------------------------------------------------


def content_of(response) -> bytes:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)


def a_users_workbook() -> bytes:
    """A roster as a user saves it: formula-like text typed as text ('=... in Excel), a
    formula with its result, and one without (a problem, so the check marks the file)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = exports.site_sheet_title()
    sheet.append([column.header for column in exports.SITE_COLUMNS])
    for number, payload in enumerate(PAYLOADS, start=1):
        sheet.append([site_row(number, name=payload).get(c.key) for c in exports.SITE_COLUMNS])
        for cell in sheet[sheet.max_row]:
            if cell.value == payload:
                cell.data_type, cell.quotePrefix = "s", True
    note = [column.key for column in exports.SITE_COLUMNS].index("note") + 1
    sheet.cell(row=2, column=note, value="=1+1")  # calculated by nobody: reported
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def the_marked_import(client, user, portal, capture):
    client.force_login(user)
    with capture(execute=True):
        client.post(reverse("sites:import"), {"file": upload(a_users_workbook())})
    job = BackgroundJob.objects.filter(kind=BackgroundJob.Kind.ROSTER_IMPORT).latest("pk")
    assert job.result["problems"]
    return client.get(reverse("sites:import-marked", args=[job.pk]))


def in_the_background(url_name, kind):
    """A large export: the list's export starts a job, the job writes the file."""

    def produce(client, user, portal, capture):
        client.force_login(user)
        with override_settings(EXPORT_BACKGROUND_ROWS=0), capture(execute=True):
            started = client.get(reverse(url_name))
        assert started.status_code == 302  # written by the background job
        job = BackgroundJob.objects.filter(kind=kind).latest("pk")
        assert job.state == BackgroundJob.State.DONE, job.error
        return client.get(reverse("sites:job-download", args=[job.pk]))

    return produce


the_large_roster = in_the_background("sites:site-export", BackgroundJob.Kind.SITE_EXPORT)

# Every kind of background export, through the list that starts it.
BACKGROUND_EXPORTS = {
    BackgroundJob.Kind.SITE_EXPORT: "sites:site-export",
    BackgroundJob.Kind.OPERATOR_EXPORT: "sites:operator-export",
    BackgroundJob.Kind.TRANSFER_EXPORT: "trade:transfer-export",
}


def a_get(name, *, args=(), params=None):
    def produce(client, user, portal, capture):
        client.force_login(user)
        return client.get(reverse(name, args=[a(portal) for a in args]), params or {})

    return produce


EXPORTS = {
    "sites:site-export": a_get("sites:site-export"),
    "sites:operator-export": a_get("sites:operator-export"),
    "sites:job-download": the_large_roster,
    "sites:import-template": a_get("sites:import-template"),
    "sites:import-marked": the_marked_import,
    "inspections:case-ledger": a_get("inspections:case-ledger"),
    "agencies:leading-group-export": a_get("agencies:leading-group-export"),
    "assessments:period-export": a_get(
        "assessments:period-export", args=[lambda portal: portal["period"].pk]
    ),
    "dashboards:meeting-pack": a_get("dashboards:meeting-pack", params={"period": "2026-Q1"}),
    "trade:transfer-export": a_get("trade:transfer-export"),
    "trade:settlement-export": a_get("trade:settlement-export"),
    "trade:price-export": a_get("trade:price-export"),
    "trade:transfer-import-template": a_get("trade:transfer-import-template"),
    "inspections:grid-roster-export": a_get("inspections:grid-roster-export"),
    "network:project-export": a_get("network:project-export"),
    "network:suggestion-export": a_get("network:suggestion-export"),
    "support:summary-export": a_get("support:summary-export", params={"year": "2026"}),
}


# Exports that carry nothing users typed: their headers and notes are the portal's own words.
NO_USER_TEXT = {"trade:transfer-import-template"}


def test_every_view_that_hands_out_an_xlsx_is_produced_here():
    assert xlsx_urls() == set(EXPORTS)


def test_every_background_export_is_produced_here():
    kinds = {kind for kind in BackgroundJob.Kind if kind.endswith("_export")}
    assert kinds == set(BACKGROUND_EXPORTS)


@pytest.mark.parametrize("kind", sorted(BACKGROUND_EXPORTS))
def test_no_background_export_holds_a_formula(
    client, commerce_admin, portal, kind, django_capture_on_commit_callbacks
):
    produce = in_the_background(BACKGROUND_EXPORTS[kind], kind)
    with time_machine.travel(NOW, tick=False):
        response = produce(client, commerce_admin, portal, django_capture_on_commit_callbacks)
        cells = list(cells_of(content_of(response)))

    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    formula_like = [
        cell
        for cell in cells
        if isinstance(cell.value, str) and as_read(cell.value) in map(as_read, PAYLOADS)
    ]
    assert formula_like, "the export shows none of the formula-like text"
    assert [c.coordinate for c in formula_like if c.data_type != "s" or not c.quotePrefix] == []


def cells_of(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_export_holds_a_formula_and_text_reads_as_entered(
    client,
    commerce_admin,
    portal,
    name,
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(NOW, tick=False):
        response = EXPORTS[name](client, commerce_admin, portal, django_capture_on_commit_callbacks)
        cells = list(cells_of(content_of(response)))

    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    formula_like = [
        cell
        for cell in texts
        if cell.value.startswith(FORMULA_PREFIXES)
        or cell.value in portal["written"]
        or as_read(cell.value) in map(as_read, PAYLOADS)
    ]
    if name in NO_USER_TEXT:
        assert formula_like == []
        return
    assert formula_like, "the export shows none of the formula-like text"
    assert [c.coordinate for c in formula_like if c.data_type != "s" or not c.quotePrefix] == []
    numbers = [cell for cell in cells if isinstance(cell.value, int | float | Decimal)]
    assert all(cell.data_type == "n" for cell in numbers)


def test_every_payload_reads_as_entered_in_some_export(
    client, commerce_admin, portal, django_capture_on_commit_callbacks
):
    shown = set()
    with time_machine.travel(NOW, tick=False):
        for name, produce in EXPORTS.items():
            if name == "sites:job-download":
                continue  # the same roster as sites:site-export
            response = produce(client, commerce_admin, portal, django_capture_on_commit_callbacks)
            shown |= {cell.value for cell in cells_of(content_of(response))}
    assert {as_read(payload) for payload in PAYLOADS} <= shown


def test_a_township_officers_exports_are_as_safe(
    client, dipu_officer, portal, django_capture_on_commit_callbacks
):
    """The township's name (a payload too) is in their file names and sheets."""
    with time_machine.travel(NOW, tick=False):
        for name in ("sites:site-export", "inspections:case-ledger", "dashboards:meeting-pack"):
            response = EXPORTS[name](
                client, dipu_officer, portal, django_capture_on_commit_callbacks
            )
            cells = list(cells_of(content_of(response)))
            assert not [cell for cell in cells if cell.data_type == "f"], name
            assert all(
                cell.quotePrefix
                for cell in cells
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES)
            ), name


@pytest.mark.parametrize("name", sorted(set(EXPORTS) - {"sites:import-marked"}))
def test_every_sheet_the_portal_writes_prints_landscape_fitted_with_headers_and_page_numbers(
    client, commerce_admin, portal, name, django_capture_on_commit_callbacks
):
    """Officials print rosters, the ledger and the meeting pack: each page as wide as the paper,
    the header row again on every page, 第 N 页 共 M 页 below. (The marked import is the user's
    own workbook handed back as it was.)"""
    with time_machine.travel(NOW, tick=False):
        response = EXPORTS[name](client, commerce_admin, portal, django_capture_on_commit_callbacks)
        workbook = load_workbook(io.BytesIO(content_of(response)))

    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页", sheet.title
        first, last = sheet.print_title_rows.replace("$", "").split(":")
        assert first == last, sheet.title
        header = [cell for cell in sheet[int(first)] if cell.value is not None]
        assert header and all(cell.font.bold for cell in header), sheet.title


# Filled in by users and read back (their header row is row 1), and a user's own workbook.
BLANK_FORMS = {"sites:import-template", "trade:transfer-import-template", "sites:import-marked"}
# The meeting pack's cover lists its figures under a header of its own, not a numbered table.
UNNUMBERED_FIRST_SHEETS = {"dashboards:meeting-pack"}


@pytest.mark.parametrize("name", sorted(set(EXPORTS) - BLANK_FORMS))
def test_every_ledger_and_roster_starts_with_its_scope_and_date_and_numbers_its_rows(
    client, commerce_admin, portal, name, django_capture_on_commit_callbacks
):
    """Printed, a ledger says whose it is and the day it stands at (截至) in its first row,
    and counts its rows in a 序号 column."""
    with time_machine.travel(NOW, tick=False):
        response = EXPORTS[name](client, commerce_admin, portal, django_capture_on_commit_callbacks)
        workbook = load_workbook(io.BytesIO(content_of(response)))

    sheet = workbook.worksheets[0]
    assert "截至" in sheet["A1"].value, sheet["A1"].value
    assert "安吉县" in sheet["A1"].value, sheet["A1"].value
    if name in UNNUMBERED_FIRST_SHEETS:
        return
    header_row = int(sheet.print_title_rows.replace("$", "").split(":")[0])
    assert sheet.cell(row=header_row, column=1).value == "序号", sheet.title
