"""Writing a checked roster workbook through the registry's services, in one transaction."""

import logging
from collections import Counter
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import UNREGISTERED_STATUSES
from ..services import (
    change_site_status,
    register_operators_in_bulk,
    register_sites_in_bulk,
    save_operator,
    update_site,
)
from .results import CREATED, UNCHANGED, UPDATED, ImportResult, RowPlan

logger = logging.getLogger(__name__)

# Writing ---------------------------------------------------------------------------------------


def apply_import(result: ImportResult, *, actor, progress=None) -> dict:
    """Write a checked workbook through the registry's services, in one transaction: all rows
    or none. Rows that change nothing write nothing. Returns the counts per sheet."""
    if not result.ok:
        raise ValidationError(_("The file has problems: nothing was imported."), code="problems")
    written = _Progress(progress)
    with transaction.atomic():
        counts = {
            "operators": _apply_operators(result.operators, actor=actor, written=written),
            "sites": _apply_sites(
                result.sites, actor=actor, written=written, source=result.filename[:100]
            ),
        }
    return {
        sheet: {action: counter[action] for action in (CREATED, UPDATED, UNCHANGED)}
        for sheet, counter in counts.items()
    }


class _Progress:
    """Counts the rows written and tells `report` (when there is one) how many so far."""

    def __init__(self, report):
        self.report = report
        self.done = 0

    def __call__(self, rows: int = 1) -> None:
        self.done += rows
        if self.report is not None:
            self.report(self.done)


def _apply_operators(plans: list[RowPlan], *, actor, written: _Progress) -> Counter:
    """New operators in bulk (their rows were validated by the check), then the changes."""
    counts = Counter()
    new_operators = [plan for plan in plans if plan.action == CREATED]
    for plan in new_operators:
        with _naming_the_row(plan):  # the model's rules once more, without a query
            plan.instance.clean()
    register_operators_in_bulk(operators=[plan.instance for plan in new_operators], actor=actor)
    counts[CREATED] += len(new_operators)
    written(len(new_operators))
    for plan in plans:
        if plan.action == CREATED:
            continue
        if plan.action != UNCHANGED:
            with _naming_the_row(plan):
                save_operator(operator=plan.instance, actor=actor)
        counts[plan.action] += 1
        written()
    return counts


def _apply_sites(plans: list[RowPlan], *, actor, written: _Progress, source: str) -> Counter:
    """New sites in bulk (their rows were validated by the check), then the changes."""
    reason = _("Excel import")
    counts = Counter()
    new_sites = [plan for plan in plans if plan.action == CREATED]
    for plan in new_sites:
        if plan.operator is not None:
            plan.instance.operator = plan.operator  # saved above: now it has its id
        with _naming_the_row(plan):  # the model's rules once more, without a query
            plan.instance.clean()
    register_sites_in_bulk(
        sites=[(plan.instance, plan.materials or ()) for plan in new_sites],
        actor=actor,
        reason=reason,
    )
    counts[CREATED] += len(new_sites)
    written(len(new_sites))
    for plan in plans:
        if plan.action == CREATED:
            continue
        with _naming_the_row(plan):
            _apply_site(plan, actor=actor, reason=reason, source=source)
        counts[plan.action] += 1
        written()
    return counts


@contextmanager
def _naming_the_row(plan: RowPlan):
    """A rule the dry run did not foresee still stops the import: say on which row."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError(
            _("Sheet %(sheet)s, row %(row)s: %(error)s")
            % {"sheet": plan.sheet, "row": plan.row, "error": " ".join(error.messages)},
            code="row_refused",
        ) from error


def _apply_site(plan: RowPlan, *, actor, reason, source):
    site = plan.instance
    if plan.operator is not None:
        site.operator = plan.operator  # saved above: now it has its id
    if plan.action == UNCHANGED:
        return
    moves = plan.status != plan.stored_status

    def change_status():
        change_site_status(site=site, to=plan.status, actor=actor, reason=reason, source=source)
        site.status = plan.status

    def change_data():
        update_site(site=site, actor=actor, materials=plan.materials, reason=reason)

    # The model's rules are looser for unregistered statuses (a point found by enforcement may
    # lack a village): move there first; out of there, change the data first. update_site
    # expects the status the site has at that moment.
    if moves and plan.status in UNREGISTERED_STATUSES:
        change_status()
        if plan.data_changed:
            change_data()
        return
    if plan.data_changed:
        site.status = plan.stored_status
        change_data()
    if moves:
        change_status()


# The marked workbook ---------------------------------------------------------------------------
