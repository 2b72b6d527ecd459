"""站点花名册 and 经营主体花名册: the registry's rosters as .xlsx, exactly the rows a list shows.

The columns defined here are also the import template's and the importer's (imports.py), so a
roster downloaded, corrected and uploaded again updates the registry. Small rosters are written
in the request; a roster of more rows than `settings.EXPORT_BACKGROUND_ROWS` is written by a
background job.
"""

import datetime as dt
import logging
import tempfile
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from accounts.access import township_scope
from anji_recycling.queue import enqueue_on_commit
from anji_recycling.xlsx import SheetWriter, new_workbook, save_workbook

from . import selectors
from .filters import OperatorFilterSet, SiteFilterSet
from .jobs import Exporter, claim_job, exporter_for, finish_job, heartbeat, register_exporter
from .models import BackgroundJob

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000  # rows fetched (and materials prefetched) per query
PROGRESS_EVERY = 1000  # a background job writes its progress every so many rows
COUNTY_NAME = "安吉县"


def large_export_rows() -> int:
    """A roster of more rows than this is written by a background job, not in the request."""
    return settings.EXPORT_BACKGROUND_ROWS


@dataclass(frozen=True)
class Column:
    """One roster column: the key the importer knows it by, its header, its width."""

    key: str
    label: object  # lazy translation: the header in the reader's language
    width: int
    required: bool = False

    @property
    def header(self) -> str:
        return str(self.label)


SITE_COLUMNS = (
    # Translators: 站点编号
    Column("code", pgettext_lazy("roster column", "Site number"), 18),
    # Translators: 名称
    Column("name", pgettext_lazy("roster column", "Name"), 28, required=True),
    # Translators: 层级
    Column("tier", pgettext_lazy("roster column", "Tier"), 18, required=True),
    # Translators: 状态
    Column("status", pgettext_lazy("roster column", "Status"), 10, required=True),
    # Translators: 乡镇（街道）
    Column("township", pgettext_lazy("roster column", "Township"), 12, required=True),
    # Translators: 村（社区）
    Column("village", pgettext_lazy("roster column", "Village or community"), 16),
    # Translators: 场所类型
    Column("venue_type", pgettext_lazy("roster column", "Venue type"), 10),
    # Translators: 地址
    Column("address", pgettext_lazy("roster column", "Address"), 32, required=True),
    # Translators: 纬度
    Column("latitude", pgettext_lazy("roster column", "Latitude"), 11),
    # Translators: 经度
    Column("longitude", pgettext_lazy("roster column", "Longitude"), 11),
    # Translators: 经营主体
    Column("operator_name", pgettext_lazy("roster column", "Operator"), 28),
    # Translators: 统一社会信用代码
    Column("operator_credit_code", pgettext_lazy("roster column", "Credit code"), 21),
    # Translators: 上级站点编号
    Column("parent_code", pgettext_lazy("roster column", "Parent site number"), 18),
    # Translators: 回收品类
    Column("materials", pgettext_lazy("roster column", "Materials"), 26),
    # Translators: 面积
    Column("floor_area", pgettext_lazy("roster column", "Floor area"), 9),
    # Translators: 日处理能力
    Column("daily_capacity", pgettext_lazy("roster column", "Daily capacity"), 10),
    # Translators: 一场两用
    Column("dual_use", pgettext_lazy("roster column", "One site, two uses"), 9),
    # Translators: 联系人
    Column("contact_name", pgettext_lazy("roster column", "Contact person"), 10),
    # Translators: 联系电话
    Column("contact_phone", pgettext_lazy("roster column", "Contact phone"), 15),
    # Translators: 备注
    Column("note", pgettext_lazy("roster column", "Note"), 30),
)

OPERATOR_COLUMNS = (
    # Translators: 名称
    Column("name", pgettext_lazy("roster column", "Name"), 30, required=True),
    # Translators: 类型
    Column("kind", pgettext_lazy("roster column", "Kind"), 12, required=True),
    # Translators: 统一社会信用代码
    Column("credit_code", pgettext_lazy("roster column", "Credit code"), 21, required=True),
    Column(
        "legal_representative",
        # Translators: 法定代表人
        pgettext_lazy("roster column", "Legal representative"),
        10,
        required=True,
    ),
    # Translators: 联系电话
    Column("contact_phone", pgettext_lazy("roster column", "Contact phone"), 15, required=True),
    # Translators: 所属乡镇（街道）
    Column("township", pgettext_lazy("roster column", "Registered in township"), 14, required=True),
    # Translators: 注册地址
    Column("address", pgettext_lazy("roster column", "Registered address"), 32),
    # Translators: 经营范围
    Column("business_scope", pgettext_lazy("roster column", "Business scope"), 32),
    # Translators: 营业执照发证日期
    Column("licence_issued_on", pgettext_lazy("roster column", "Licence issued on"), 12),
    # Translators: 有效期至
    Column("licence_valid_until", pgettext_lazy("roster column", "Licence valid until"), 12),
    # Translators: 备案编号
    Column("filing_number", pgettext_lazy("roster column", "Filing number"), 16),
    # Translators: 备案日期
    Column("filed_on", pgettext_lazy("roster column", "Filed on"), 12),
    # Translators: 备注
    Column("note", pgettext_lazy("roster column", "Note"), 30),
)


def site_sheet_title() -> str:
    # Translators: sheet name, 站点
    return pgettext("sheet", "Sites")


def operator_sheet_title() -> str:
    # Translators: sheet name, 经营主体
    return pgettext("sheet", "Operators")


def _blank_as_none(value):
    return None if value == "" else value


def site_values(site) -> list:
    """One roster row; `site` comes from selectors.sites_for_list (joins and materials loaded)."""
    operator = site.operator
    values = [
        site.code,
        site.name,
        site.get_tier_display(),
        site.get_status_display(),
        site.township.name,
        str(site.village) if site.village_id else None,
        site.get_venue_type_display() if site.venue_type else None,
        site.address,
        site.latitude,
        site.longitude,
        operator.name if operator else None,
        operator.credit_code if operator else None,
        site.parent.code if site.parent_id else None,
        "、".join(material.name for material in site.materials.all()),
        site.floor_area,
        site.daily_capacity,
        _("Yes") if site.dual_use else _("No"),
        site.contact_name,
        site.contact_phone,
        site.note,
    ]
    return [_blank_as_none(value) for value in values]


def operator_values(operator) -> list:
    values = [
        operator.name,
        operator.get_kind_display(),
        operator.credit_code,
        operator.legal_representative,
        operator.contact_phone,
        operator.township.name,
        operator.address,
        operator.business_scope,
        operator.licence_issued_on,
        operator.licence_valid_until,
        operator.filing_number,
        operator.filed_on,
        operator.note,
    ]
    return [_blank_as_none(value) for value in values]


@dataclass(frozen=True)
class Roster:
    """What differs between the two rosters; everything else is shared."""

    kind: str
    file_prefix: str
    columns: tuple
    filterset_class: type
    selector: object
    sheet_title: object
    values: object


ROSTERS = {
    BackgroundJob.Kind.SITE_EXPORT: Roster(
        kind=BackgroundJob.Kind.SITE_EXPORT,
        file_prefix="站点花名册",
        columns=SITE_COLUMNS,
        filterset_class=SiteFilterSet,
        selector=selectors.sites_for_list,
        sheet_title=site_sheet_title,
        values=site_values,
    ),
    BackgroundJob.Kind.OPERATOR_EXPORT: Roster(
        kind=BackgroundJob.Kind.OPERATOR_EXPORT,
        file_prefix="经营主体花名册",
        columns=OPERATOR_COLUMNS,
        filterset_class=OperatorFilterSet,
        selector=selectors.operators_for_list,
        sheet_title=operator_sheet_title,
        values=operator_values,
    ),
}


def _as_querydict(params) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, values in (params or {}).items():
        query.setlist(key, list(values))
    return query


def roster_filterset(*, kind: str, user, params):
    """The list's FilterSet over the rows the user may see: the same rows the list page shows.
    `params` is the request's GET (or, in a background job, the dict of lists saved from it)."""
    roster = ROSTERS[kind]
    return roster.filterset_class(_as_querydict(params), queryset=roster.selector(user=user))


def scope_name(*, user, filterset) -> str:
    """The area a roster covers: the user's township, the township filtered on, or the county."""
    if township_scope(user) is not None:
        return user.township.name
    filterset.is_valid()
    township = filterset.form.cleaned_data.get("township")
    return township.name if township else COUNTY_NAME


def roster_filename(*, kind: str, scope: str, as_of: dt.date) -> str:
    return f"{ROSTERS[kind].file_prefix}_{scope}_{as_of:%Y%m%d}.xlsx"


def write_roster(workbook, *, kind: str, queryset, progress=None):
    """Append the roster sheet to a write-only workbook, fetching CHUNK_SIZE rows per query so
    memory stays flat whatever the number of rows (prefetches run per chunk)."""
    roster = ROSTERS[kind]
    sheet = SheetWriter(
        workbook, roster.sheet_title(), widths=[column.width for column in roster.columns]
    )
    sheet.header([column.header for column in roster.columns])
    written = 0
    for written, row in enumerate(queryset.iterator(chunk_size=CHUNK_SIZE), start=1):
        sheet.row(roster.values(row))
        if progress is not None:
            progress(written)
    return written


for _kind in ROSTERS:
    register_exporter(
        Exporter(
            kind=_kind,
            rows=lambda *, user, params, kind=_kind: (
                roster_filterset(kind=kind, user=user, params=params).qs
            ),
            write=lambda workbook, *, queryset, progress, user=None, kind=_kind: write_roster(
                workbook, kind=kind, queryset=queryset, progress=progress
            ),
        )
    )


def build_roster_workbook(*, kind: str, queryset):
    workbook = new_workbook()
    write_roster(workbook, kind=kind, queryset=queryset)
    return workbook


# Background jobs ------------------------------------------------------------------------------


class JobProgress:
    """Writes how many rows of a background job are done, every `every` rows.

    An import writes everything in one transaction; the count then goes through a connection
    of its own so that the status page sees it before that transaction commits. (SQLite allows
    one writer at a time: there the count waits for the end.)
    """

    def __init__(self, job_id: int, *, total: int, every: int = PROGRESS_EVERY):
        self.job_id = job_id
        self.total = total
        self.every = every
        self.written = 0
        self._side = None

    def __enter__(self):
        self._write(done=0, total=self.total)
        return self

    def __exit__(self, *exc):
        if self._side is not None:
            self._side.close()
            self._side = None

    def __call__(self, done: int, total: int | None = None):
        if total is not None and total != self.total:  # the total is known only now
            self.total = total
            self._write(done=done, total=total)
        elif done - self.written >= self.every:
            self._write(done=done)

    def _write(self, **values):
        self.written = values["done"]
        if not connection.in_atomic_block:
            BackgroundJob.objects.filter(pk=self.job_id).update(**values)
            return
        if connection.vendor == "sqlite":
            return
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        quote = self._side.ops.quote_name
        assignments = ", ".join(f"{quote(name)} = %s" for name in values)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(BackgroundJob._meta.db_table)} SET {assignments} "
                f"WHERE {quote('id')} = %s",
                [*values.values(), self.job_id],
            )


@transaction.atomic
def start_export_job(*, kind: str, owner, params, filename: str) -> BackgroundJob:
    """Queue a large export (a roster, or another app's registered Exporter): the worker
    writes it with the owner's scope and these filters."""
    from .tasks import export_roster

    job = BackgroundJob.objects.create(
        kind=kind,
        owner=owner,
        params=dict(_as_querydict(params).lists()),
        result={"filename": filename, "language": translation.get_language()},
    )
    enqueue_on_commit(export_roster, job_id=job.pk)
    return job


def run_export_job(*, job_id: int) -> None:
    """Write a queued roster to the job's result file, counting rows as they are written. A
    job whose worker died is written again from the start by the next claim; the file is only
    attached by the worker that still holds the lease."""
    job = claim_job(job_id=job_id)
    if job is None:
        return  # delivered twice: another run has it or finished it
    try:
        with heartbeat(job), translation.override(job.result.get("language")):
            exporter = exporter_for(job.kind)
            queryset = exporter.rows(user=job.owner, params=_as_querydict(job.params))
            total = queryset.count()
            workbook = new_workbook()
            with JobProgress(job.pk, total=total) as progress:
                done = exporter.write(
                    workbook, queryset=queryset, progress=progress, user=job.owner
                )
            with tempfile.TemporaryFile() as handle:
                save_workbook(workbook, handle)
                handle.seek(0)
                # A random stored name: the download gives the roster's own (result["filename"]).
                job.result_file.save(f"{uuid.uuid4().hex}.xlsx", File(handle), save=False)
    except Exception as error:
        logger.exception("export job %s failed", job.pk)
        _finish(job, state=BackgroundJob.State.FAILED, message=str(error))
        return
    job.total = total
    job.done = done
    if not _finish(job, state=BackgroundJob.State.DONE):
        job.result_file.delete(save=False)  # another worker took the job over: its file counts


def _finish(job, *, state, message="") -> bool:
    finished = finish_job(
        job,
        state=state,
        message=message[:500],
        finished_at=timezone.now(),
        total=job.total,
        done=job.done,
        result=job.result,
        result_file=job.result_file.name or "",
    )
    if not finished:
        logger.warning("roster export job %s was taken over by another worker", job.pk)
    return finished
