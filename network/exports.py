"""Workbooks: the projects a list shows (same filters, same scope) and the placement
suggestions, through the shared writer."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from anji_recycling.xlsx import SheetWriter, new_workbook
from sites.exports import COUNTY_NAME

from .choices import ProjectStage
from .filters import ProjectFilterSet
from .selectors import late_stages, projects_for_list

CHUNK_SIZE = 2000

PROJECT_COLUMNS = (
    (pgettext_lazy("project column", "Name"), 24),
    (pgettext_lazy("project column", "Kind"), 22),
    (pgettext_lazy("project column", "Stage"), 10),
    (pgettext_lazy("project column", "Township"), 12),
    (pgettext_lazy("project column", "Village or community"), 16),
    (pgettext_lazy("project column", "Address"), 24),
    (pgettext_lazy("project column", "Latitude"), 11),
    (pgettext_lazy("project column", "Longitude"), 11),
    (pgettext_lazy("project column", "Builder"), 18),
    (pgettext_lazy("project column", "Government (yuan)"), 14),
    (pgettext_lazy("project column", "Enterprise (yuan)"), 14),
    (pgettext_lazy("project column", "Social capital (yuan)"), 14),
    (pgettext_lazy("project column", "Subsidy (yuan)"), 14),
    (pgettext_lazy("project column", "Land"), 18),
    (pgettext_lazy("project column", "Target year"), 9),
    (pgettext_lazy("project column", "Planned on"), 12),
    (pgettext_lazy("project column", "Approved on"), 12),
    (pgettext_lazy("project column", "Construction started on"), 12),
    (pgettext_lazy("project column", "Completed on"), 12),
    (pgettext_lazy("project column", "In operation since"), 12),
    (pgettext_lazy("project column", "Operation planned for"), 12),
    (pgettext_lazy("project column", "Late"), 16),
    (pgettext_lazy("project column", "Site number"), 18),
)

SUGGESTION_COLUMNS = (
    (pgettext_lazy("suggestion column", "Suggestion"), 8),
    (pgettext_lazy("suggestion column", "Township"), 12),
    (pgettext_lazy("suggestion column", "Village or community"), 18),
    (pgettext_lazy("suggestion column", "Division code"), 14),
    (pgettext_lazy("suggestion column", "Advice"), 22),
    (pgettext_lazy("suggestion column", "Suggested position (village)"), 18),
    (pgettext_lazy("suggestion column", "Latitude"), 11),
    (pgettext_lazy("suggestion column", "Longitude"), 11),
    (pgettext_lazy("suggestion column", "Nearest operating point"), 22),
    (pgettext_lazy("suggestion column", "Distance (km)"), 10),
    (pgettext_lazy("suggestion column", "Nearest operating station"), 22),
    (pgettext_lazy("suggestion column", "Distance (km)"), 10),
)


def project_filename(*, as_of: dt.date) -> str:
    return f"网点建设项目_{as_of:%Y%m%d}.xlsx"


def suggestion_filename(*, as_of: dt.date) -> str:
    return f"网点布局建议_{as_of:%Y%m%d}.xlsx"


def project_queryset(*, user, params, request=None):
    return ProjectFilterSet(params, queryset=projects_for_list(user=user), request=request).qs


def project_values(project, *, today) -> list:
    values = [
        project.name,
        project.get_kind_display(),
        project.get_stage_display(),
        project.township.name,
        str(project.village) if project.village_id else None,
        project.address,
        project.latitude,
        project.longitude,
        project.builder,
        project.investment_government,
        project.investment_enterprise,
        project.investment_social,
        project.subsidy,
        project.get_land_status_display(),
        project.target_year,
        project.planned_on,
        project.approved_on,
        project.construction_started_on,
        project.completed_on,
        project.operating_on,
        project.planned_operation_on,
        "、".join(str(_stage_label(stage)) for stage in late_stages(project, today=today)),
        project.site.code if project.site_id else None,
    ]
    return [None if value == "" else value for value in values]


def _stage_label(stage):
    return ProjectStage(stage).label


def build_project_workbook(*, queryset, today, scope=COUNTY_NAME):
    workbook = new_workbook()
    title = pgettext("sheet", "Network-building projects")
    sheet = SheetWriter(
        workbook,
        title,
        widths=[width for _label, width in PROJECT_COLUMNS],
        freeze="B3",
        numbered=True,
    )
    sheet.ledger_title(title, scope=scope, as_of=today)
    sheet.header([str(label) for label, _width in PROJECT_COLUMNS])
    for project in queryset.order_by("township__code", "pk").iterator(chunk_size=CHUNK_SIZE):
        sheet.row(project_values(project, today=today))
    return workbook


def build_suggestion_workbook(*, report, scope=COUNTY_NAME):
    workbook = new_workbook()
    title = pgettext("sheet", "Placement suggestions")
    sheet = SheetWriter(
        workbook,
        title,
        widths=[width for _label, width in SUGGESTION_COLUMNS],
        freeze="B3",
        numbered=True,
    )
    sheet.ledger_title(title, scope=scope)
    sheet.header([str(label) for label, _width in SUGGESTION_COLUMNS])
    for cluster in report.clusters:
        for member in cluster.members:
            village = member.village
            sheet.row(
                [
                    cluster.number,
                    village.township.name,
                    str(village),
                    village.code,
                    str(cluster.kind_label),
                    str(cluster.suggested_village),
                    cluster.latitude,
                    cluster.longitude,
                    member.nearest_point.name if member.nearest_point else None,
                    member.nearest_point_km,
                    member.nearest_station.name if member.nearest_station else None,
                    member.nearest_station_km,
                ]
            )
    for gap in report.unlocated:
        village = gap.village
        sheet.row(
            [
                None,
                village.township.name,
                str(village),
                village.code,
                _("No position: set it on the village page"),
                *[None] * 7,
            ]
        )
    return workbook
