"""站点花名册 and 经营主体花名册: the registry's rosters as .xlsx, exactly the rows a list shows.

The columns (columns.py) are also the import template's and the importer's (imports/), so a
roster downloaded, corrected and uploaded again updates the registry. Small rosters are written
in the request; a roster of more rows than `settings.EXPORT_BACKGROUND_ROWS` is written by a
background job.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.access import township_scope
from anji_recycling.coordinates import CoordinateSystem
from anji_recycling.xlsx import SheetWriter, new_workbook

from . import selectors
from .choices import SiteStatus, SiteTier, VenueType
from .columns import (
    OPERATOR_COLUMNS,
    SITE_COLUMNS,
    operator_sheet_title,
    site_sheet_title,
)
from .filters import OperatorFilterSet, SiteFilterSet
from .jobs import (  # noqa: F401 - start_export_job, run_export_job: callers' names
    Exporter,
    as_querydict,
    register_exporter,
    run_export_job,
    start_export_job,
)
from .models import BackgroundJob, Site

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000  # rows fetched (and materials prefetched) per query
COUNTY_NAME = "安吉县"


def large_export_rows() -> int:
    """A roster of more rows than this is written by a background job, not in the request."""
    return settings.EXPORT_BACKGROUND_ROWS


def _blank_as_none(value):
    return None if value == "" else value


def site_values(site) -> list:
    """One roster row of a Site object (selectors.sites_for_list: joins and materials loaded)."""
    return next(_site_rows([_site_tuple(site)], {site.pk: site.materials.all()}))


# The roster's columns straight from SQL (values_list), in site_values' order: no model
# instance, no lazy label per row (each label is translated once per export).
SITE_FIELDS = (
    "pk",
    "code",
    "name",
    "tier",
    "status",
    "township__name",
    "village_id",
    "village__short_name",
    "village__name",
    "venue_type",
    "address",
    "latitude",
    "longitude",
    "operator__name",
    "operator__credit_code",
    "parent__code",
    "floor_area",
    "daily_capacity",
    "dual_use",
    "contact_name",
    "contact_phone",
    "note",
)


def _site_tuple(site) -> tuple:
    operator = site.operator
    village = site.village if site.village_id else None
    return (
        site.pk,
        site.code,
        site.name,
        site.tier,
        site.status,
        site.township.name,
        site.village_id,
        village.short_name if village else None,
        village.name if village else None,
        site.venue_type,
        site.address,
        site.latitude,
        site.longitude,
        operator.name if operator else None,
        operator.credit_code if operator else None,
        site.parent.code if site.parent_id else None,
        site.floor_area,
        site.daily_capacity,
        site.dual_use,
        site.contact_name,
        site.contact_phone,
        site.note,
    )


def _site_rows(tuples, materials):
    """Roster rows from SITE_FIELDS tuples; `materials` maps a site's pk to its materials
    (objects or names) in the roster's order."""
    tiers = {value: str(label) for value, label in SiteTier.choices}
    statuses = {value: str(label) for value, label in SiteStatus.choices}
    venues = {value: str(label) for value, label in VenueType.choices}
    # The registry stores WGS-84: a roster imported back is not converted again.
    wgs84 = str(CoordinateSystem.WGS84.label)
    yes, no = _("Yes"), _("No")
    for (
        pk,
        code,
        name,
        tier,
        status,
        township,
        village_id,
        village_short,
        village_name,
        venue_type,
        address,
        latitude,
        longitude,
        operator_name,
        credit_code,
        parent_code,
        floor_area,
        daily_capacity,
        dual_use,
        contact_name,
        contact_phone,
        note,
    ) in tuples:
        values = [
            code,
            name,
            tiers.get(tier, tier),
            statuses.get(status, status),
            township,
            (village_short or village_name) if village_id else None,
            venues.get(venue_type, venue_type) if venue_type else None,
            address,
            latitude,
            longitude,
            wgs84 if latitude is not None else None,
            operator_name,
            credit_code,
            parent_code,
            "、".join(str(material) for material in materials.get(pk, ())),
            floor_area,
            daily_capacity,
            yes if dual_use else no,
            contact_name,
            contact_phone,
            note,
        ]
        yield [None if value == "" else value for value in values]


def site_rows(queryset):
    """The roster rows of a queryset of sites, CHUNK_SIZE sites per query and one query for
    each chunk's materials: memory stays flat whatever the number of rows."""
    through = Site.materials.through
    chunk = []

    def flush():
        names = {}
        for site_id, material in (
            through.objects.filter(site_id__in=[row[0] for row in chunk])
            .order_by("material__sort_order", "material_id")
            .values_list("site_id", "material__name")
        ):
            names.setdefault(site_id, []).append(material)
        yield from _site_rows(chunk, names)
        chunk.clear()

    tuples = queryset.prefetch_related(None).values_list(*SITE_FIELDS)
    for row in tuples.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield from flush()
    if chunk:
        yield from flush()


def _object_rows(values):
    def rows(queryset):
        for row in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield values(row)

    return rows


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
    rows: object  # queryset -> the roster's rows (lists of values), streamed


ROSTERS = {
    BackgroundJob.Kind.SITE_EXPORT: Roster(
        kind=BackgroundJob.Kind.SITE_EXPORT,
        file_prefix="站点花名册",
        columns=SITE_COLUMNS,
        filterset_class=SiteFilterSet,
        selector=selectors.sites_for_list,
        sheet_title=site_sheet_title,
        rows=site_rows,
    ),
    BackgroundJob.Kind.OPERATOR_EXPORT: Roster(
        kind=BackgroundJob.Kind.OPERATOR_EXPORT,
        file_prefix="经营主体花名册",
        columns=OPERATOR_COLUMNS,
        filterset_class=OperatorFilterSet,
        selector=selectors.operators_for_list,
        sheet_title=operator_sheet_title,
        rows=_object_rows(operator_values),
    ),
}


def roster_filterset(*, kind: str, user, params):
    """The list's FilterSet over the rows the user may see: the same rows the list page shows.
    `params` is the request's GET (or, in a background job, the dict of lists saved from it)."""
    roster = ROSTERS[kind]
    return roster.filterset_class(as_querydict(params), queryset=roster.selector(user=user))


def user_scope(user) -> str:
    """The area a user's exports cover, for their title rows: their township, or the county."""
    return user.township.name if user and township_scope(user) is not None else COUNTY_NAME


def scope_name(*, user, filterset) -> str:
    """The area a roster covers: the user's township, the township filtered on, or the county."""
    if township_scope(user) is not None:
        return user.township.name
    filterset.is_valid()
    township = filterset.form.cleaned_data.get("township")
    return township.name if township else COUNTY_NAME


def roster_filename(*, kind: str, scope: str, as_of: dt.date) -> str:
    return f"{ROSTERS[kind].file_prefix}_{scope}_{as_of:%Y%m%d}.xlsx"


def write_roster(workbook, *, kind: str, queryset, progress=None, scope=None, user=None):
    """Append the roster sheet to a write-only workbook, fetching CHUNK_SIZE rows per query so
    memory stays flat whatever the number of rows (prefetches run per chunk). Its title row
    names the scope (the user's township or the county unless given) and today; the import
    reads the roster back under that row."""
    roster = ROSTERS[kind]
    if scope is None:
        scope = user_scope(user)
    sheet = SheetWriter(
        workbook,
        roster.sheet_title(),
        widths=[column.width for column in roster.columns],
        freeze="B3",
        numbered=True,
    )
    sheet.ledger_title(roster.sheet_title(), scope=scope)
    sheet.header([column.header for column in roster.columns])
    written = 0
    for written, values in enumerate(roster.rows(queryset), start=1):
        sheet.row(values)
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
                workbook, kind=kind, queryset=queryset, progress=progress, user=user
            ),
        )
    )


def build_roster_workbook(*, kind: str, queryset, scope=None):
    workbook = new_workbook()
    write_roster(workbook, kind=kind, queryset=queryset, scope=scope)
    return workbook
