"""Importing the rosters from Excel: every row is checked without writing (the dry run), then
everything is written in one transaction through the registry's services, or nothing is.

A workbook has a 经营主体 sheet and a 站点 sheet with the rosters' columns (exports.py): a
roster downloaded from the portal, corrected and uploaded again updates the registry. Operators
are found by 统一社会信用代码; sites by 站点编号, or, left blank, by 名称 and 乡镇（街道）
(a new site when none matches), so importing the same file twice changes nothing the second
time.

Only what the user can see is imported. A workbook with a hidden or very hidden sheet (a roster
sheet or any other) is refused, naming each. Hidden rows that hold data (a filter's too) and
hidden columns the import reads are problems on their row or column, reported with all the
others rather than refusing the file, so that the marked workbook shows them (unhidden). Merged
cells, formulas without a calculated result and error values are problems on their cell, never
"fill in this cell". A formula with a calculated result imports that result: the value the user
saw when the file was saved.

The package: results.py (what a row will do, the problems), reading.py (the cells as the user
saw them), checking.py (the dry run), applying.py (the writing), marking.py (the workbook handed
back), template.py. The background jobs that run it are in sites/jobs.py; the columns, shared
with the exports, in sites/columns.py; the upload's limits in sites/uploads.py.
"""

from django.utils.translation import gettext_lazy

from ..jobs import Importer, confirm_import, recent_imports, register_importer, start_import
from ..models import BackgroundJob
from ..uploads import import_limits, refuse_upload_at_once, too_many_rows_message
from .applying import apply_import
from .checking import OPERATOR_CONSTRAINTS_IN_CLEAN, SITE_CONSTRAINTS_IN_CLEAN, parse_and_check
from .marking import MARK_AUTHOR, marked_workbook, problems_column_header
from .reading import (
    CellError,
    ImportRow,
    cell_text,
    choice_map,
    decimal_parser,
    find_sheets,
    in_every_language,
    normalise_header,
    open_workbook,
    parse_date,
    read_sheet,
    refuse_hidden_sheets,
    refuse_too_many_rows,
)
from .results import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportResult,
    Problem,
    RowPlan,
    import_summary,
    job_result,
)
from .template import TEMPLATE_FILENAME, instructions_sheet_title, template_workbook

__all__ = [
    "CREATED",
    "MARK_AUTHOR",
    "OPERATOR_CONSTRAINTS_IN_CLEAN",
    "SITE_CONSTRAINTS_IN_CLEAN",
    "TEMPLATE_FILENAME",
    "UNCHANGED",
    "UPDATED",
    "CellError",
    "ImportResult",
    "ImportRow",
    "Problem",
    "RowPlan",
    "apply_import",
    "cell_text",
    "choice_map",
    "confirm_import",
    "decimal_parser",
    "find_sheets",
    "import_limits",
    "import_summary",
    "in_every_language",
    "instructions_sheet_title",
    "job_result",
    "marked_workbook",
    "normalise_header",
    "open_workbook",
    "parse_and_check",
    "parse_date",
    "problems_column_header",
    "read_sheet",
    "recent_imports",
    "refuse_hidden_sheets",
    "refuse_too_many_rows",
    "refuse_upload_at_once",
    "start_import",
    "template_workbook",
    "too_many_rows_message",
]

# The roster's import, run by the jobs (sites/jobs.py). The functions are looked up here when
# called: tests replace them. The names above are also the pieces other apps' imports reuse
# (trade/imports.py, weighbridge records).

register_importer(
    Importer(
        kind=BackgroundJob.Kind.ROSTER_IMPORT,
        check=lambda file, **options: parse_and_check(file, **options),
        apply=lambda result, **options: apply_import(result, **options),
        find_sheets=lambda workbook: find_sheets(workbook),
        may_import=lambda user: user.has_perm("sites.add_site"),
        refusal=gettext_lazy("Only the commerce bureau and township officers import rosters."),
        upload_url="sites:import",
        counts=(
            ("operators", gettext_lazy("Operators")),
            ("sites", gettext_lazy("Sites")),
        ),
        links=(
            ("sites:site-list", gettext_lazy("Go to the sites")),
            ("sites:operator-list", gettext_lazy("Go to the operators")),
        ),
    )
)
