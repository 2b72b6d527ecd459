"""Assessors deduct with reason and evidence; townships see their own deductions and object
within the window; the commerce bureau accepts (the deduction becomes void) or rejects."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from assessments.choices import DeductionState, IndicatorKind, ObjectionState
from assessments.models import Deduction, Objection, TownshipResult
from assessments.services import (
    compute_period,
    decide_objection,
    file_objection,
    lock_period,
    publish_period,
    record_deduction,
    unlock_period,
)

from .conftest import XILONG, at, indicator, points

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def deduct(period, township, actor, amount="3", **kwargs):
    return record_deduction(
        period=period,
        township=township,
        indicator=indicator(period.scheme, IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal(amount),
        reason="现场检查：网点堆放杂乱",
        actor=actor,
        **kwargs,
    )


def test_an_assessor_enters_a_deduction_with_evidence(q1, xilong, assessor):
    upload = SimpleUploadedFile("检查记录.pdf", PDF, content_type="application/pdf")

    deduction = deduct(q1, xilong, assessor, files=[upload])

    assert deduction.entered_by == assessor
    assert deduction.evidence.count() == 1
    assert deduction.history.order_by("-history_id").first().history_user == assessor


def test_a_deduction_above_the_indicator_maximum_is_refused(q1, xilong, assessor):
    with pytest.raises(ValidationError) as error:
        deduct(q1, xilong, assessor, amount="10.5")
    assert "points" in error.value.message_dict
    assert "10" in error.value.message_dict["points"][0]


def test_a_deduction_on_a_computed_indicator_is_refused(q1, xilong, assessor):
    with pytest.raises(ValidationError) as error:
        record_deduction(
            period=q1,
            township=xilong,
            indicator=indicator(q1.scheme, IndicatorKind.CASES_ON_TIME),
            points=Decimal(1),
            reason="x",
            actor=assessor,
        )
    assert "indicator" in error.value.message_dict


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_a_deduction_is_more_than_zero(q1, xilong, assessor, amount):
    with pytest.raises(ValidationError):
        deduct(q1, xilong, assessor, amount=amount)


def test_township_officers_and_leaders_do_not_enter_deductions(q1, xilong, xilong_officer, leader):
    for user in (xilong_officer, leader):
        with pytest.raises(PermissionDenied):
            deduct(q1, xilong, user)


def test_objection_accepted_voids_the_deduction_and_the_score_recovers(
    q1, xilong, assessor, xilong_officer, commerce_admin, after_q1
):
    deduction = deduct(q1, xilong, assessor, amount="4")
    compute_period(period=q1, actor=commerce_admin)
    assert TownshipResult.objects.get(period=q1, township=xilong).total == points(66)

    objection = file_objection(
        deduction=deduction, reason="已当场整改，附照片", actor=xilong_officer
    )
    decide_objection(objection=objection, accept=True, actor=commerce_admin, comment="情况属实")
    compute_period(period=q1, actor=commerce_admin)

    deduction.refresh_from_db()
    assert deduction.state == DeductionState.VOID
    assert Objection.objects.get().state == ObjectionState.ACCEPTED
    assert TownshipResult.objects.get(period=q1, township=xilong).total == points(70)
    assert deduction.history.order_by("-history_id").first().history_user == commerce_admin


def test_objection_rejected_needs_a_reason_and_keeps_the_deduction(
    q1, xilong, assessor, xilong_officer, commerce_admin
):
    deduction = deduct(q1, xilong, assessor)
    objection = file_objection(deduction=deduction, reason="不认可", actor=xilong_officer)

    with pytest.raises(ValidationError):
        decide_objection(objection=objection, accept=False, actor=commerce_admin)
    decide_objection(
        objection=objection, accept=False, actor=commerce_admin, comment="照片显示问题仍在"
    )

    objection.refresh_from_db()
    assert objection.state == ObjectionState.REJECTED
    assert Deduction.objects.get().state == DeductionState.ACTIVE


def test_a_rejected_objection_cannot_be_raised_again(
    q1, xilong, assessor, xilong_officer, commerce_admin
):
    deduction = deduct(q1, xilong, assessor)
    objection = file_objection(deduction=deduction, reason="不认可", actor=xilong_officer)
    decide_objection(objection=objection, accept=False, actor=commerce_admin, comment="问题仍在")

    with pytest.raises(ValidationError, match="不予采纳"):
        file_objection(deduction=deduction, reason="再次申请", actor=xilong_officer)
    assert deduction.objections.count() == 1


def test_the_database_keeps_one_objection_per_deduction(q1, xilong, assessor, xilong_officer):
    deduction = deduct(q1, xilong, assessor)
    Objection.objects.create(
        deduction=deduction, reason="一", filed_by=xilong_officer, state=ObjectionState.REJECTED
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(deduction=deduction, reason="二", filed_by=xilong_officer)


def test_only_the_township_concerned_objects(q1, xilong, dipu, assessor, dipu_officer):
    deduction = deduct(q1, xilong, assessor)
    with pytest.raises(PermissionDenied):
        file_objection(deduction=deduction, reason="不是我们的", actor=dipu_officer)


def test_one_objection_waits_at_a_time(q1, xilong, assessor, xilong_officer):
    deduction = deduct(q1, xilong, assessor)
    file_objection(deduction=deduction, reason="一", actor=xilong_officer)
    with pytest.raises(ValidationError):
        file_objection(deduction=deduction, reason="二", actor=xilong_officer)


def test_objection_after_the_window_is_refused(
    q1, xilong, assessor, xilong_officer, commerce_admin
):
    """Published on Friday 10 April with a window of five working days: objections until
    Friday 17 April; Saturday 18 April is too late."""
    deduction = deduct(q1, xilong, assessor)
    with time_machine.travel(at(dt.date(2026, 4, 10)), tick=False):
        compute_period(period=q1, actor=commerce_admin)
        lock_period(period=q1, actor=commerce_admin)
        publish_period(period=q1, actor=commerce_admin)

    with time_machine.travel(at(dt.date(2026, 4, 17)), tick=False):
        file_objection(deduction=deduction, reason="最后一天", actor=xilong_officer)
    objection = Objection.objects.get()
    decide_objection(objection=objection, accept=False, actor=commerce_admin, comment="不予采纳")
    with (
        time_machine.travel(at(dt.date(2026, 4, 18)), tick=False),
        pytest.raises(ValidationError, match="2026-04-17"),
    ):
        file_objection(deduction=deduction, reason="晚了", actor=xilong_officer)


def test_accepting_an_objection_on_a_locked_period_needs_an_unlock(
    q1, xilong, assessor, xilong_officer, commerce_admin, after_q1
):
    deduction = deduct(q1, xilong, assessor)
    compute_period(period=q1, actor=commerce_admin)
    lock_period(period=q1, actor=commerce_admin)
    publish_period(period=q1, actor=commerce_admin)
    objection = file_objection(deduction=deduction, reason="已整改", actor=xilong_officer)

    with pytest.raises(ValidationError, match="解锁"):
        decide_objection(objection=objection, accept=True, actor=commerce_admin)
    unlock_period(period=q1, actor=commerce_admin, reason="采纳溪龙乡异议")
    decide_objection(objection=objection, accept=True, actor=commerce_admin)
    compute_period(period=q1, actor=commerce_admin)

    assert TownshipResult.objects.get(period=q1, township__code=XILONG).total == points(70)
    assert [h.state for h in objection.history.order_by("history_id")] == ["pending", "accepted"]
