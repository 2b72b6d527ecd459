"""The assessment policies and their services agree: for every state of a period, a deduction
and an objection, every person and every action, the action is in `allowed_actions` exactly
when the service takes it; the pages offer exactly those actions."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.choices import Role
from assessments.choices import PeriodAction
from assessments.models import AssessmentPeriod, Deduction, Objection
from assessments.policy import DEDUCTION_POLICY, OBJECTION_POLICY, PERIOD_POLICY
from assessments.services import (
    compute_period,
    decide_objection,
    file_objection,
    lock_period,
    publish_period,
    unlock_period,
    withdraw_deduction,
)
from tests.factories import make_user
from tests.policy_walk import disagreements

from .conftest import XILONG, at
from .test_deductions_and_objections import deduct

pytestmark = pytest.mark.django_db

PUBLISHED_ON = dt.date(2026, 4, 10)  # a Friday: objections until Friday 17 April


@pytest.fixture
def people(commerce_admin, assessor, xilong_officer, dipu_officer, market_officer, leader):
    return {
        "commerce": commerce_admin,
        "assessor": assessor,
        "township": xilong_officer,
        "grid worker": make_user(Role.GRID_WORKER, township_code=XILONG),
        "other township": dipu_officer,
        "agency officer": market_officer,
        "leader": leader,
    }


def bring_period_to(period, state, admin):
    with time_machine.travel(at(PUBLISHED_ON), tick=False):
        if state == "draft":
            return period
        compute_period(period=period, actor=admin)
        if state == "computed":
            return period
        lock_period(period=period, actor=admin)
        if state == "locked":
            return period
        publish_period(period=period, actor=admin)
    return period


def period_call(action, period, person, xilong):
    return {
        PeriodAction.DEDUCT: lambda: deduct(period, xilong, person),
        PeriodAction.COMPUTE: lambda: compute_period(period=period, actor=person),
        PeriodAction.LOCK: lambda: lock_period(period=period, actor=person),
        PeriodAction.PUBLISH: lambda: publish_period(period=period, actor=person),
        PeriodAction.UNLOCK: lambda: unlock_period(period=period, actor=person, reason="更正"),
    }[action]


@pytest.mark.parametrize("state", ["draft", "computed", "changed", "locked", "published"])
def test_period_actions_are_what_the_services_accept(q1, xilong, people, state):
    admin = people["commerce"]
    bring_period_to(q1, "computed" if state == "changed" else state, admin)
    if state == "changed":  # a deduction after the computation: compute again before locking
        deduct(q1, xilong, people["assessor"])
    with time_machine.travel(at(PUBLISHED_ON), tick=False):
        found = disagreements(
            PERIOD_POLICY,
            load=lambda: AssessmentPeriod.objects.get(pk=q1.pk),
            people=people,
            call=lambda action, period, person: period_call(action, period, person, xilong),
        )
    assert found == []


DEDUCTION_STATES = [
    "active",
    "withdrawn",
    "objection waiting",
    "objection rejected",
    "objection accepted",
    "published, window open",
    "published, window closed",
]


def deduction_in(state, q1, xilong, people):
    admin, township = people["commerce"], people["township"]
    deduction = deduct(q1, xilong, people["assessor"])
    if state == "withdrawn":
        withdraw_deduction(deduction=deduction, actor=admin, reason="录入错误")
    if state.startswith("objection"):
        objection = file_objection(deduction=deduction, reason="已整改", actor=township)
        if state == "objection rejected":
            decide_objection(objection=objection, accept=False, actor=admin, comment="问题仍在")
        if state == "objection accepted":
            decide_objection(objection=objection, accept=True, actor=admin)
    if state.startswith("published"):
        bring_period_to(q1, "published", admin)
    return deduction


@pytest.mark.parametrize("state", DEDUCTION_STATES)
def test_deduction_actions_are_what_the_services_accept(q1, xilong, people, state):
    deduction = deduction_in(state, q1, xilong, people)
    today = PUBLISHED_ON + dt.timedelta(days=8 if state.endswith("closed") else 1)

    def call(action, fresh, person):
        if action == "withdraw":
            return lambda: withdraw_deduction(deduction=fresh, actor=person, reason="录入错误")
        return lambda: file_objection(deduction=fresh, reason="不认可", actor=person)

    with time_machine.travel(at(today), tick=False):
        found = disagreements(
            DEDUCTION_POLICY,
            load=lambda: Deduction.objects.select_related("period__scheme").get(pk=deduction.pk),
            people=people,
            call=call,
        )
    assert found == []


@pytest.mark.parametrize("state", ["waiting", "waiting, period locked", "rejected", "accepted"])
def test_objection_actions_are_what_the_services_accept(q1, xilong, people, state):
    admin = people["commerce"]
    deduction = deduct(q1, xilong, people["assessor"])
    objection = file_objection(deduction=deduction, reason="已整改", actor=people["township"])
    if state == "waiting, period locked":
        bring_period_to(q1, "locked", admin)
    if state in ("rejected", "accepted"):
        decide_objection(
            objection=objection, accept=state == "accepted", actor=admin, comment="审定"
        )

    def call(action, fresh, person):
        return lambda: decide_objection(
            objection=fresh, accept=action == "accept", actor=person, comment="审定"
        )

    found = disagreements(
        OBJECTION_POLICY,
        load=lambda: Objection.objects.select_related("deduction__period").get(pk=objection.pk),
        people=people,
        call=call,
    )
    assert found == []


def test_the_deduction_page_offers_exactly_the_allowed_actions(client, q1, xilong, people):
    deduction = deduct(q1, xilong, people["assessor"])
    url = reverse("assessments:deduction-detail", args=[deduction.pk])
    forms = {
        "withdraw": reverse("assessments:deduction-withdraw", args=[deduction.pk]),
        "object": reverse("assessments:objection-file", args=[deduction.pk]),
    }
    for who in ("commerce", "assessor", "township"):
        person = people[who]
        allowed = DEDUCTION_POLICY.allowed_actions(deduction, person)
        client.force_login(person)
        page = client.get(url).content.decode()
        for action, target in forms.items():
            assert (f'action="{target}"' in page) == (action in allowed), (who, action)
    assert DEDUCTION_POLICY.allowed_actions(deduction, people["township"]) == ["object"]


def test_the_api_lists_the_allowed_actions_of_periods_deductions_and_objections(
    client, q1, xilong, people, django_assert_max_num_queries
):
    deduction = deduct(q1, xilong, people["assessor"])
    file_objection(deduction=deduction, reason="已整改", actor=people["township"])
    deduct(q1, xilong, people["assessor"])
    client.force_login(people["township"])
    row = client.get(f"/api/v1/assessment-deductions/{deduction.pk}/").json()
    assert row["allowed_actions"] == []  # an objection is waiting
    assert row["objections"][0]["allowed_actions"] == []
    client.force_login(people["commerce"])
    row = client.get(f"/api/v1/assessment-deductions/{deduction.pk}/").json()
    assert row["allowed_actions"] == ["withdraw"]
    assert row["objections"][0]["allowed_actions"] == ["accept", "reject"]
    period = client.get(f"/api/v1/assessment-periods/{q1.pk}/").json()
    assert period["allowed_actions"] == ["deduct", "compute"]
    with django_assert_max_num_queries(12):
        listed = client.get("/api/v1/assessment-objections/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["allowed_actions"] == ["accept", "reject"]
