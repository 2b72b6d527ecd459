"""Writes to assessment schemes: checking and saving a scheme with its indicators and bands, and
revising one as a new version.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anji_recycling.history import save_with_history

from ..choices import IndicatorKind
from ..models import AssessmentScheme, GradeBand, Indicator
from .checks import plain, require_commerce_admin


@dataclass
class IndicatorInput:
    kind: str
    name: str
    weight: Decimal
    max_points: Decimal
    points_per_item: Decimal | None = None
    description: str = ""
    pk: int | None = None


@dataclass
class BandInput:
    name: str
    min_score: Decimal
    pk: int | None = None


def check_scheme(
    *, total_points: Decimal, indicators: list[IndicatorInput], bands: list[BandInput]
) -> None:
    """The rules a scheme's definition keeps, with the message a commerce officer reads."""
    errors = []
    if not indicators:
        errors.append(_("A scheme needs at least one indicator."))
    weights = sum((item.weight for item in indicators), Decimal(0))
    if indicators and weights != total_points:
        errors.append(
            _(
                "The indicators' weights add up to %(sum)s points; they must add up to the "
                "scheme's total of %(total)s points."
            )
            % {"sum": plain(weights), "total": plain(total_points)}
        )
    for item in indicators:
        errors += _indicator_errors(item)
    computed = [item.kind for item in indicators if item.kind != IndicatorKind.ASSESSOR_DEDUCTIONS]
    if len(computed) != len(set(computed)):
        errors.append(_("A scheme computes each kind of indicator once."))
    errors += _band_errors(bands, total_points=total_points)
    if errors:
        raise ValidationError(errors)


def _indicator_errors(item: IndicatorInput) -> list:
    errors = []
    if item.max_points is None or item.max_points <= 0:
        errors.append(
            _("The indicator %(name)s needs maximum points above zero.") % {"name": item.name}
        )
    if item.points_per_item:
        return errors
    if item.kind == IndicatorKind.ILLEGAL_POINTS:
        errors.append(
            _("The indicator %(name)s needs the points deducted for each illegal point.")
            % {"name": item.name}
        )
    elif item.kind == IndicatorKind.BALANCE_FLAGS:
        errors.append(
            _("The indicator %(name)s needs the points deducted for each flag.")
            % {"name": item.name}
        )
    return errors


def _band_errors(bands: list[BandInput], *, total_points: Decimal) -> list:
    errors = []
    thresholds = [band.min_score for band in bands]
    if len(thresholds) != len(set(thresholds)):
        errors.append(_("Two grades cannot start at the same score."))
    if any(score < 0 or score > total_points for score in thresholds):
        errors.append(_("A grade starts at a score between 0 and the scheme's total."))
    return errors


@transaction.atomic
def save_scheme(
    *,
    scheme: AssessmentScheme,
    indicators: list[IndicatorInput],
    bands: list[BandInput],
    actor,
) -> AssessmentScheme:
    """Create or change a scheme with its indicators and grade bands, all or nothing. A
    scheme used by a locked or published period is frozen: revise it as a new version."""
    require_commerce_admin(actor, _("Only the commerce bureau defines assessment schemes."))
    if scheme.pk is not None:
        AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.is_frozen:
            raise ValidationError(
                _(
                    "This scheme version was used by a locked or published period and stays "
                    "as it was: save it as a new version to change it."
                )
            )
    check_scheme(total_points=scheme.total_points, indicators=indicators, bands=bands)
    save_with_history(scheme, actor=actor)
    _sync_rows(
        model=Indicator,
        existing=scheme.indicators.all(),
        inputs=indicators,
        actor=actor,
        build=lambda item, order: {
            "scheme": scheme,
            "kind": item.kind,
            "name": item.name,
            "weight": item.weight,
            "max_points": item.max_points,
            "points_per_item": item.points_per_item,
            "description": item.description,
            "sort_order": order,
        },
    )
    _sync_rows(
        model=GradeBand,
        existing=scheme.grade_bands.all(),
        inputs=bands,
        actor=actor,
        build=lambda item, order: {
            "scheme": scheme,
            "name": item.name,
            "min_score": item.min_score,
        },
    )
    return scheme


def _sync_rows(*, model, existing, inputs, actor, build):
    """Make a scheme's child rows match the inputs: update by pk, create new, delete gone.
    Indicators already scored are never deleted (PROTECT): the period keeps them."""
    by_pk = {row.pk: row for row in existing}
    kept = set()
    for order, item in enumerate(inputs, start=1):
        row = by_pk.get(item.pk) if item.pk else None
        row = row or model()
        for name, value in build(item, order).items():
            setattr(row, name, value)
        save_with_history(row, actor=actor, validate=False)
        kept.add(row.pk)
    # Delete after saving so a unique rule (one kind per scheme) sees the final rows.
    for pk, row in by_pk.items():
        if pk not in kept:
            row._history_user = actor
            row.delete()


@transaction.atomic
def revise_scheme(*, scheme: AssessmentScheme, actor) -> AssessmentScheme:
    """A new version of a scheme, with a copy of its indicators and grade bands, to edit."""
    require_commerce_admin(actor, _("Only the commerce bureau defines assessment schemes."))
    latest = (
        AssessmentScheme.objects.select_for_update()
        .filter(code=scheme.code)
        .order_by("-version")
        .first()
    )
    revised = AssessmentScheme(
        code=scheme.code,
        version=latest.version + 1,
        name=scheme.name,
        total_points=scheme.total_points,
        objection_days=scheme.objection_days,
        note=scheme.note,
    )
    save_with_history(
        revised, actor=actor, reason=_("New version of v%(version)s") % {"version": scheme.version}
    )
    for indicator in scheme.indicators.all():
        indicator.pk = None
        indicator.scheme = revised
        save_with_history(indicator, actor=actor, validate=False)
    for band in scheme.grade_bands.all():
        band.pk = None
        band.scheme = revised
        save_with_history(band, actor=actor, validate=False)
    return revised
