"""A case event's kind is one of CaseEventKind (a check constraint holds it): every move, side
action, request, decision and enforcement measure has its kind, shown by its label; older
rows of another kind were mapped to "other" by a data migration, their text kept."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction

from inspections.choices import (
    CaseAction,
    CaseEventKind,
    EnforcementKind,
    RequestKind,
    RequestState,
)
from inspections.models import CaseEvent

from .conftest import report

mapping = importlib.import_module("inspections.migrations.0008_map_case_event_kinds")


def test_every_move_has_its_kind_with_the_same_label():
    for action in CaseAction:
        assert CaseEventKind(action.value).label == action.label


def test_every_request_decision_and_measure_has_its_kind():
    for kind in RequestKind:
        assert CaseEventKind.of_request(kind)
        for state in (RequestState.APPROVED, RequestState.REFUSED):
            assert CaseEventKind.of_decision(kind, state)
    for measure in EnforcementKind:
        assert CaseEventKind.of_enforcement(measure).label == measure.label


# Kinds added after the data migration: no event of theirs existed to be mapped.
ADDED_LATER = {CaseEventKind.JOINT_INSPECTION_SET}


def test_the_data_migration_knows_every_kind():
    assert set(CaseEventKind.values) - ADDED_LATER == mapping.KINDS


def test_the_data_migration_maps_an_unknown_kind_to_other_keeping_its_text():
    event = SimpleNamespace(action="stamped", comment="盖章", save=lambda update_fields: None)

    class Events:
        def exclude(self, action__in):
            assert "register" in action__in
            return SimpleNamespace(iterator=lambda: iter([event]))

    apps = SimpleNamespace(get_model=lambda app, name: SimpleNamespace(objects=Events()))
    mapping.map_unknown_kinds(apps, None)
    assert (event.action, event.comment) == ("other", "[stamped] 盖章")


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_kind(built_up_site, dipu_grid_worker):
    (case,) = report(built_up_site, dipu_grid_worker, "appearance")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(case=case, action="stamped")


@pytest.mark.django_db
def test_the_events_are_shown_and_served_with_their_labels(
    client, api_client, built_up_site, dipu_grid_worker, commerce_admin
):
    (case,) = report(built_up_site, dipu_grid_worker, "appearance")
    client.force_login(commerce_admin)
    page = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"<td>{CaseEventKind.REPORTED.label}</td>" in page
    api_client.force_authenticate(commerce_admin)
    (event,) = api_client.get(f"/api/v1/cases/{case.pk}/events/").json()
    assert event["action"] == "reported"
    assert event["action_display"] == str(CaseEventKind.REPORTED.label)
