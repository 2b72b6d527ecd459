"""What a checked workbook will do, row by row, and the problems found in it."""

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Operator

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class Problem(NamedTuple):
    """One thing wrong in the workbook: where (sheet, row, column letter and header) and what."""

    sheet: str
    row: int
    column: str  # the letter; "" when the problem is the whole row's or the column is missing
    header: str
    message: str

    @property
    def cell_text(self) -> str:
        """The problem without its row, for the row's 错误说明 cell."""
        if self.column:
            return _("Column “%(header)s” (column %(column)s): %(message)s") % self._asdict()
        if self.header:
            return _("Column “%(header)s”: %(message)s") % self._asdict()
        return self.message

    def __str__(self):
        if self.column:
            return (
                _("Row %(row)s, column “%(header)s” (column %(column)s): %(message)s")
                % self._asdict()
            )
        if self.header:
            return _("Row %(row)s, column “%(header)s”: %(message)s") % self._asdict()
        return _("Row %(row)s: %(message)s") % self._asdict()


@dataclass
class RowPlan:
    """What importing one valid row will do."""

    sheet: str
    row: int
    instance: object
    action: str  # CREATED, UPDATED or UNCHANGED
    data_changed: bool = False
    materials: list | None = None  # None: leave the site's materials as they are
    status: str = ""  # the status the file gives a site
    stored_status: str = ""  # the site's status before the import
    operator: Operator | None = None


@dataclass
class ImportResult:
    filename: str
    operators: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> dict:
        return import_summary(
            {"operators": self.operators, "sites": self.sites}, self.problems, rows=self.rows
        )

    def as_job_result(self) -> dict:
        return job_result(self)


def import_summary(plans_by_sheet: dict, problems, *, rows: int) -> dict:
    """What a check found: per sheet the rows to create, update and leave; rows read and rows
    with problems (any import's result: the roster's, the market's)."""

    def counts(plans):
        counter = Counter(plan.action for plan in plans)
        return {action: counter[action] for action in (CREATED, UPDATED, UNCHANGED)}

    return {
        **{sheet: counts(plans) for sheet, plans in plans_by_sheet.items()},
        "rows": rows,
        "rows_with_problems": len({(p.sheet, p.row) for p in problems}),
    }


def job_result(result) -> dict:
    """A checked import as its job keeps it (result needs filename, summary and problems)."""
    return {
        "filename": result.filename,
        "summary": result.summary,
        "problems": [problem._asdict() for problem in result.problems],
        "language": translation.get_language(),
    }


# Reading cells ---------------------------------------------------------------------------------


def assign_values(instance, values) -> bool:
    """Set the row's values on the instance; whether any differs from what it held."""
    changed = False
    for name, value in values.items():
        model_field = instance._meta.get_field(name)
        if model_field.is_relation:
            new = None if value is None else value.pk
            changed |= (value is not None and value.pk is None) or (
                getattr(instance, model_field.attname) != new
            )
        else:
            changed |= getattr(instance, name) != value
        setattr(instance, name, value)
    return changed
