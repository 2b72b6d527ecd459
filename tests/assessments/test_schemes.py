"""Schemes: weights add up to the total; a scheme used by a locked period is frozen and is
revised as a new version, which the locked period does not follow."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.choices import OFF_BY_DEFAULT_KINDS, IndicatorKind
from assessments.models import AssessmentScheme
from assessments.services import (
    BandInput,
    IndicatorInput,
    compute_period,
    lock_period,
    revise_scheme,
    save_scheme,
)

pytestmark = pytest.mark.django_db


def inputs(scheme):
    indicators = [
        IndicatorInput(
            kind=i.kind,
            name=i.name,
            weight=i.weight,
            max_points=i.max_points,
            points_per_item=i.points_per_item,
            pk=i.pk,
        )
        for i in scheme.indicators.all()
    ]
    bands = [
        BandInput(name=b.name, min_score=b.min_score, pk=b.pk) for b in scheme.grade_bands.all()
    ]
    return indicators, bands


def test_the_default_scheme_has_the_domain_indicators_adding_up_to_100(scheme):
    assert set(scheme.indicators.values_list("kind", flat=True)) == (
        set(IndicatorKind.values) - OFF_BY_DEFAULT_KINDS
    )
    assert sum(i.weight for i in scheme.indicators.all()) == scheme.total_points == 100
    assert list(scheme.grade_bands.values_list("name", flat=True)) == [
        "优秀",
        "良好",
        "合格",
        "不合格",
    ]


def test_weights_that_do_not_add_up_to_the_total_are_refused(scheme, commerce_admin):
    indicators, bands = inputs(scheme)
    indicators[0].weight += 5

    with pytest.raises(ValidationError) as error:
        save_scheme(scheme=scheme, indicators=indicators, bands=bands, actor=commerce_admin)

    assert "105" in error.value.messages[0] and "100" in error.value.messages[0]
    assert scheme.indicators.first().weight == 20


def test_grade_bands_are_data_the_commerce_bureau_edits(scheme, commerce_admin):
    indicators, bands = inputs(scheme)
    bands[0].min_score = Decimal(95)

    save_scheme(scheme=scheme, indicators=indicators, bands=bands, actor=commerce_admin)

    assert scheme.grade_bands.get(name="优秀").min_score == 95
    assert (
        scheme.grade_bands.get(name="优秀").history.order_by("-history_id").first().history_user
        == commerce_admin
    )


def test_only_the_commerce_bureau_edits_schemes(scheme, assessor):
    indicators, bands = inputs(scheme)
    with pytest.raises(PermissionDenied):
        save_scheme(scheme=scheme, indicators=indicators, bands=bands, actor=assessor)


def test_a_scheme_used_by_a_locked_period_is_frozen_and_revised_as_a_new_version(
    q1, scheme, commerce_admin, after_q1
):
    compute_period(period=q1, actor=commerce_admin)
    lock_period(period=q1, actor=commerce_admin)
    indicators, bands = inputs(scheme)

    with pytest.raises(ValidationError, match="新版本"):
        save_scheme(scheme=scheme, indicators=indicators, bands=bands, actor=commerce_admin)

    revised = revise_scheme(scheme=scheme, actor=commerce_admin)
    indicators, bands = inputs(revised)
    indicators[0].weight, indicators[1].weight = Decimal(25), Decimal(5)
    save_scheme(scheme=revised, indicators=indicators, bands=bands, actor=commerce_admin)

    assert revised.version == 2
    assert AssessmentScheme.objects.filter(code=scheme.code).count() == 2
    q1.refresh_from_db()
    assert q1.scheme == scheme
    assert scheme.indicators.first().weight == 20


def test_a_period_not_locked_switches_to_a_new_version(
    q1, scheme, commerce_admin, assessor, xilong, after_q1
):
    from assessments.services import change_period_scheme, record_deduction, withdraw_deduction

    compute_period(period=q1, actor=commerce_admin)
    revised = revise_scheme(scheme=scheme, actor=commerce_admin)
    deduction = record_deduction(
        period=q1,
        township=xilong,
        indicator=scheme.indicators.get(kind=IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal(1),
        reason="扣分",
        actor=assessor,
    )
    with pytest.raises(ValidationError):
        change_period_scheme(period=q1, scheme=revised, actor=commerce_admin)
    withdraw_deduction(deduction=deduction, actor=assessor, reason="改用新方案")

    period = change_period_scheme(period=q1, scheme=revised, actor=commerce_admin)
    compute_period(period=period, actor=commerce_admin)

    assert period.scheme == revised
    assert set(period.scores.values_list("indicator__scheme", flat=True)) == {revised.pk}
