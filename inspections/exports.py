"""案件台账: the cases a queue shows, as an .xlsx, one row per case.

The rows are the queue's: CaseFilterSet over selectors.cases_for_list(user=...), so an agency
sees the cases routed to it (lead or assisting) and a township its own. Rows are fetched
CHUNK_SIZE at a time (the assisting agencies prefetched per chunk), so memory and the number
of queries stay flat whatever the number of cases.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from accounts.access import is_agency_officer, township_scope
from agencies.models import Township
from anji_recycling.xlsx import SheetWriter, new_workbook
from sites.exports import COUNTY_NAME

from . import selectors
from .filters import CaseFilterSet
from .models import Finding, InspectionOfficer

CHUNK_SIZE = 2000
FILE_PREFIX = "案件台账"


@dataclass(frozen=True)
class Column:
    label: object  # lazy translation: the header in the reader's language
    width: int

    @property
    def header(self) -> str:
        return str(self.label)


COLUMNS = (
    # Translators: 案件编号
    Column(pgettext_lazy("case ledger column", "Case number"), 16),
    # Translators: 上报时间
    Column(pgettext_lazy("case ledger column", "Reported at"), 18),
    # Translators: 站点编号
    Column(pgettext_lazy("case ledger column", "Site number"), 18),
    # Translators: 站点名称
    Column(pgettext_lazy("case ledger column", "Site name"), 26),
    # Translators: 乡镇（街道）
    Column(pgettext_lazy("case ledger column", "Township"), 12),
    # Translators: 村（社区）
    Column(pgettext_lazy("case ledger column", "Village or community"), 14),
    # Translators: 问题类别
    Column(pgettext_lazy("case ledger column", "Problem category"), 16),
    # Translators: 区域
    Column(pgettext_lazy("case ledger column", "Area"), 10),
    # Translators: 牵头部门
    Column(pgettext_lazy("case ledger column", "Lead"), 16),
    # Translators: 协办部门
    Column(pgettext_lazy("case ledger column", "Assisting agencies"), 22),
    # Translators: 联合检查到场部门 (the agencies present at the joint inspection that found it)
    Column(pgettext_lazy("case ledger column", "Agencies present at the joint inspection"), 22),
    # Translators: 状态
    Column(pgettext_lazy("case ledger column", "Status"), 10),
    # Translators: 当前环节
    Column(pgettext_lazy("case ledger column", "Current stage"), 10),
    # Translators: 环节时限
    Column(pgettext_lazy("case ledger column", "Stage deadline"), 12),
    # Translators: 环节时限暂定（该年节假日安排尚未录入）
    Column(pgettext_lazy("case ledger column", "Stage deadline provisional"), 9),
    # Translators: 是否超期
    Column(pgettext_lazy("case ledger column", "Overdue"), 9),
    # Translators: 处置时限
    Column(pgettext_lazy("case ledger column", "Handling deadline"), 12),
    # Translators: 处置时限暂定
    Column(pgettext_lazy("case ledger column", "Handling deadline provisional"), 9),
    # Translators: 退回次数
    Column(pgettext_lazy("case ledger column", "Times returned"), 9),
    # Translators: 结案时间
    Column(pgettext_lazy("case ledger column", "Closed at"), 18),
    # Translators: 按期结案
    Column(pgettext_lazy("case ledger column", "Closed on time"), 9),
    # Translators: 问题描述
    Column(pgettext_lazy("case ledger column", "Description"), 40),
)


def ledger_filename(*, as_of: dt.date) -> str:
    return f"{FILE_PREFIX}_{as_of:%Y%m%d}.xlsx"


def ledger_scope(*, user, params) -> str:
    """Whose cases the ledger holds: the officer's agency or township, the township filtered
    on, or the county."""
    if is_agency_officer(user):
        return user.agency.name
    if township_scope(user) is not None:
        return user.township.name
    chosen = str(params.get("township", ""))
    township = Township.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    return township.name if township else COUNTY_NAME


def ledger_queryset(*, user, params):
    """The queue's FilterSet over the cases the user may see: the rows the queue shows, with
    the agencies present at the joint inspections that found them (two queries a chunk)."""
    present = Prefetch(
        "inspection__officers_present",
        queryset=InspectionOfficer.objects.select_related("agency").order_by("pk"),
    )
    findings = Prefetch(
        "findings",
        queryset=Finding.objects.select_related("inspection").prefetch_related(present),
    )
    cases = CaseFilterSet(params, queryset=selectors.cases_for_list(user=user)).qs
    return cases.prefetch_related(findings)


def agencies_present(case) -> str:
    """The agencies present at the joint inspections (联合检查) whose findings opened or joined
    the case, once each, in the order they were listed; "" when no report of it was joint."""
    names = {
        row.agency_id: row.agency.name
        for finding in case.findings.all()
        for row in finding.inspection.officers_present.all()
    }
    return "、".join(names.values())


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: the time as read in Anji (Asia/Shanghai), without tzinfo."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return _("Yes") if value else _("No")


def _provisional(deadline: dt.date | None, provisional: bool) -> str | None:
    """暂定 beside a deadline counted with a year whose holidays are not known yet."""
    if deadline is None:
        return None
    return pgettext("deadline", "Provisional") if provisional else None


def case_values(case) -> list:
    """One ledger row; `case` comes from selectors.cases_for_list (joins and helpers loaded)."""
    values = [
        case.number,
        _local(case.reported_at),
        case.site.code,
        case.site.name,
        case.township.name,
        str(case.village) if case.village_id else None,
        case.category.name,
        case.get_area_display(),
        case.lead_label,
        "、".join(agency.name for agency in case.assisting_agencies.all()),
        agencies_present(case),
        case.get_status_display(),
        case.get_stage_display() if case.stage else None,
        case.stage_deadline,
        _provisional(case.stage_deadline, case.stage_deadline_provisional),
        _yes_no(case.is_overdue),
        case.handling_deadline,
        _provisional(case.handling_deadline, case.handling_deadline_provisional),
        case.return_count,
        _local(case.closed_at),
        _yes_no(case.closed_on_time),
        case.description,
    ]
    return [None if value == "" else value for value in values]


def build_ledger_workbook(*, queryset, scope: str = COUNTY_NAME, as_of: dt.date | None = None):
    workbook = new_workbook()
    # Translators: sheet name, 案件台账
    title = pgettext("sheet", "Case ledger")
    sheet = SheetWriter(
        workbook, title, widths=[c.width for c in COLUMNS], freeze="B3", numbered=True
    )
    sheet.ledger_title(title, scope=scope, as_of=as_of or timezone.localdate())
    sheet.header([column.header for column in COLUMNS])
    for case in queryset.iterator(chunk_size=CHUNK_SIZE):
        sheet.row(case_values(case))
    return workbook


# 网格员花名册 ---------------------------------------------------------------------------------


def grid_roster_filename(*, as_of: dt.date) -> str:
    return f"网格员花名册_{as_of:%Y%m%d}.xlsx"


def _person(first_name: str, last_name: str, username: str) -> str:
    return f"{last_name}{first_name}" or username


def build_grid_roster_workbook(*, workers, sites, as_of: dt.date, scope: str = COUNTY_NAME):
    """Two sheets: the grid workers (township, name, agency, phone, tasks) and the sites of
    each grid (the sites of the tasks each worker holds)."""
    from sites.choices import SiteStatus, SiteTier

    workbook = new_workbook()
    sheet = SheetWriter(
        workbook,
        _("Grid workers"),
        widths=[14, 16, 16, 18, 16, 10, 10, 10],
        freeze="B3",
        numbered=True,
    )
    sheet.ledger_title(_("Roster of grid workers"), scope=scope, as_of=as_of)
    sheet.header(
        [
            _("Township"),
            pgettext("person", "Name"),
            _("Username"),
            _("Agency"),
            _("Phone"),
            _("Open tasks"),
            _("Overdue"),
            _("Done"),
        ]
    )
    for worker in workers.iterator(chunk_size=CHUNK_SIZE):
        sheet.row(
            [
                worker.township.name if worker.township_id else "",
                worker.get_full_name() or worker.username,
                worker.username,
                worker.agency.name if worker.agency_id else "",
                worker.phone,
                worker.open_tasks,
                worker.overdue_tasks,
                worker.done_tasks,
            ]
        )
    grid = SheetWriter(
        workbook,
        _("Sites per grid"),
        widths=[14, 16, 18, 30, 22, 12],
        freeze="B3",
        numbered=True,
    )
    grid.ledger_title(_("Sites of each grid worker's patrols"), scope=scope, as_of=as_of)
    grid.header(
        [
            _("Township"),
            _("Grid worker"),
            _("Site number"),
            _("Site"),
            _("Tier"),
            _("Status"),
        ]
    )
    for row in sites.iterator(chunk_size=CHUNK_SIZE):
        grid.row(
            [
                row["assigned_to__township__name"],
                _person(
                    row["assigned_to__first_name"],
                    row["assigned_to__last_name"],
                    row["assigned_to__username"],
                ),
                row["site__code"],
                row["site__name"],
                str(SiteTier(row["site__tier"]).label),
                str(SiteStatus(row["site__status"]).label),
            ]
        )
    return workbook
