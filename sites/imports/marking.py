"""The workbook handed back: each bad cell filled red and commented with its problem."""

import logging
from collections import defaultdict

from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from anji_recycling.xlsx import (
    open_to_hand_back,
)

from .reading import find_sheets as find_roster_sheets
from .reading import in_every_language, normalise_header
from .results import Problem

logger = logging.getLogger(__name__)

MARK_FILL = PatternFill("solid", fgColor="FFC7CE")
MARK_AUTHOR = "安吉县再生资源回收长效管理平台"


def problems_column_header() -> str:
    # Translators: 错误说明, the column the marked workbook adds
    return _("Problems")


def marked_workbook(file, problems, *, find_sheets=None):
    """The user's own workbook with each bad cell filled red and commented with its problem,
    and a last column 错误说明 listing each row's problems. Marks from an earlier check of the
    same file are cleared first. Formulas come back as the values the check read; rows and
    columns with a problem are shown and merged cells with a problem unmerged, so that every
    mark can be seen."""
    workbook = open_to_hand_back(file)
    problems = [p if isinstance(p, Problem) else Problem(**p) for p in problems]
    by_sheet = defaultdict(list)
    for problem in problems:
        by_sheet[problem.sheet].append(problem)
    find_sheets = find_sheets or find_roster_sheets
    roster_sheets = {worksheet.title for worksheet in find_sheets(workbook).values()}
    headers = {normalise_header(header) for header in in_every_language(problems_column_header)}
    for worksheet in workbook.worksheets:
        if worksheet.title not in roster_sheets and worksheet.title not in by_sheet:
            continue
        notes_column = _clear_marks(worksheet, headers)
        header = worksheet.cell(row=1, column=notes_column, value=problems_column_header())
        header.font = Font(bold=True, color="9C0006")
        header.fill = MARK_FILL
        worksheet.column_dimensions[get_column_letter(notes_column)].width = 60
        notes = defaultdict(list)
        comments = defaultdict(list)
        for problem in by_sheet.get(worksheet.title, []):
            notes[problem.row].append(problem.cell_text)
            if problem.column:
                comments[f"{problem.column}{problem.row}"].append(problem.message)
        _show_marked_cells(worksheet, rows=set(notes), coordinates=set(comments))
        for row, texts in notes.items():
            worksheet.cell(row=row, column=notes_column, value="\n".join(texts))
        for coordinate, texts in comments.items():
            cell = worksheet[coordinate]
            cell.fill = MARK_FILL
            cell.comment = Comment("\n".join(texts), MARK_AUTHOR, width=320, height=120)
    return workbook


def _show_marked_cells(worksheet, *, rows, coordinates) -> None:
    """Unhide the rows and columns that hold a mark; unmerge the merged cells that do."""
    for row in rows:
        worksheet.row_dimensions[row].hidden = False
    columns = {
        column_index_from_string(coordinate.rstrip("0123456789")) for coordinate in coordinates
    }
    for dimension in worksheet.column_dimensions.values():
        if dimension.hidden and any(dimension.min <= column <= dimension.max for column in columns):
            dimension.hidden = False
    for merged in list(worksheet.merged_cells.ranges):
        if any(coordinate in merged for coordinate in coordinates):
            worksheet.unmerge_cells(merged.coord)


def _clear_marks(worksheet, headers) -> int:
    """Remove an earlier check's marks; the column for this check's notes."""
    notes_column = None
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.row == 1 and normalise_header(cell.value) in headers:
                notes_column = cell.column
            if cell.comment is not None and cell.comment.author == MARK_AUTHOR:
                cell.comment = None
                cell.fill = PatternFill(fill_type=None)
    if notes_column is None:
        return worksheet.max_column + 1
    for (cell,) in worksheet.iter_rows(min_col=notes_column, max_col=notes_column, min_row=2):
        cell.value = None
    return notes_column


# Jobs: check and apply in the background ------------------------------------------------------
