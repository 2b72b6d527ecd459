"""The network-building project's policy walked against its services: for every stage, every
person and every action, `allowed_actions` offers the action exactly when the service takes it
(tests/policy_walk.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from network.choices import ProjectAction, ProjectStage
from network.models import NetworkProject
from network.policy import PROJECT_POLICY
from network.services import add_project_photo, advance_project, register_project, update_project
from tests.factories import png_bytes
from tests.policy_walk import disagreements, people_of_each_role

from .conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(request):
    return people_of_each_role(request)


# Network-building projects (network) ---------------------------------------------------------

POSITION = {"latitude": Decimal("30.630000"), "longitude": Decimal("119.680000")}


def _project_values(dipu, village):
    return {
        "name": "递铺测试网点",
        "kind": "point",
        "township": dipu,
        "village": village,
        "address": "递铺建设路1号",
        "builder": "县供销联社",
        "investment_government": Decimal("100000.00"),
        "investment_enterprise": Decimal("50000.00"),
        "target_year": 2025,
        "planned_on": dt.date(2024, 3, 1),
        **POSITION,
    }


def project_at(stage, *, people, dipu, dipu_village):
    """A project brought to `stage` by the commerce bureau; None for a project not yet made."""
    if stage == "new":
        return None
    stored = make_project(actor=people["commerce"], township=dipu, village=dipu_village)
    NetworkProject.objects.filter(pk=stored.pk).update(**POSITION)
    days = iter([dt.date(2024, 5, 1), dt.date(2024, 7, 1), dt.date(2025, 3, 1)])
    while stored.stage != stage:
        stored = advance_project(
            project=stored, actor=people["commerce"], on=next(days, dt.date(2025, 4, 1))
        )
    return stored


def service_call(action, project, person):
    if action == ProjectAction.REGISTER:
        if project.pk is not None:
            return None  # registering creates a project; this one exists
        return lambda: register_project(project=project, actor=person)
    if project.pk is None:
        return None  # a project not registered is neither changed, advanced nor pictured
    if action == ProjectAction.CHANGE:
        project.note = "已核实"
        return lambda: update_project(project=project, actor=person)
    if action == ProjectAction.ADVANCE:
        return lambda: advance_project(project=project, actor=person, on=dt.date(2024, 5, 1))
    image = SimpleUploadedFile("site.png", png_bytes(), content_type="image/png")
    return lambda: add_project_photo(project=project, image=image, actor=person)


@pytest.mark.parametrize("stage", ["new", ProjectStage.PLANNING, ProjectStage.OPERATING])
def test_the_project_policy_agrees_with_its_services(people, dipu, dipu_village, stage):
    stored = project_at(stage, people=people, dipu=dipu, dipu_village=dipu_village)

    def load():
        if stored is None:
            return NetworkProject(**_project_values(dipu, dipu_village))
        return NetworkProject.objects.select_related("township").get(pk=stored.pk)

    assert disagreements(PROJECT_POLICY, load=load, people=people, call=service_call) == []
