"""A project moves 规划 → 立项 → 在建 → 建成 → 投运, one stage at a time, each with its date;
going into operation registers its site (or puts the linked one into operation)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from network.choices import ProjectStage
from network.models import NetworkProject, ProjectStageChange
from network.services import advance_project, register_project, update_project
from sites.choices import SiteStatus, SiteTier
from sites.models import Site
from tests.factories import make_site
from tests.network.conftest import make_project

pytestmark = pytest.mark.django_db

POSITION = {"latitude": Decimal("30.630000"), "longitude": Decimal("119.680000")}


def _through(project, actor, *, until=ProjectStage.OPERATING):
    dates = iter(
        [dt.date(2024, 5, 1), dt.date(2024, 7, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1)]
    )
    while project.stage != until:
        project = advance_project(project=project, actor=actor, on=next(dates))
    return project


def test_a_point_project_goes_through_every_stage_and_registers_its_site(
    commerce_admin, dipu, dipu_village
):
    project = make_project(actor=commerce_admin, township=dipu, village=dipu_village, **POSITION)
    assert project.stage == ProjectStage.PLANNING
    assert Site.objects.count() == 0

    project = _through(project, commerce_admin)

    assert project.stage == ProjectStage.OPERATING
    assert (project.approved_on, project.operating_on) == (dt.date(2024, 5, 1), dt.date(2025, 4, 1))
    site = project.site
    assert (site.tier, site.status) == (SiteTier.COLLECTION_POINT, SiteStatus.OPERATING)
    assert (site.township, site.village) == (dipu, dipu_village)
    assert (site.latitude, site.longitude) == (POSITION["latitude"], POSITION["longitude"])
    assert site.code.startswith("330523001-3-")
    assert site.status_changes.get().actor == commerce_admin
    stages = list(ProjectStageChange.objects.filter(project=project).order_by("on", "pk"))
    assert [change.to_stage for change in stages] == [stage.value for stage in ProjectStage]
    assert project.history.count() == 5


def test_a_conversion_puts_the_linked_station_into_operation_as_dual_use(commerce_admin, dipu):
    station = make_site(actor=commerce_admin, tier=SiteTier.TRANSFER_STATION, status="planned")
    project = make_project(
        actor=commerce_admin, township=dipu, kind="conversion", site=station, **POSITION
    )
    project = _through(project, commerce_admin)
    station.refresh_from_db()
    assert project.site == station
    assert station.status == SiteStatus.OPERATING
    assert station.dual_use is True
    assert Site.objects.count() == 1


def test_completing_without_a_position_is_refused_in_chinese(
    client, commerce_admin, dipu, dipu_village
):
    project = make_project(actor=commerce_admin, township=dipu, village=dipu_village)
    project = _through(project, commerce_admin, until=ProjectStage.CONSTRUCTION)
    client.force_login(commerce_admin)
    response = client.post(
        f"/network/{project.pk}/advance/",
        {"on": "2025-03-01"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        follow=True,
    )
    assert "建成的项目需要有安吉县境内的位置" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == ProjectStage.CONSTRUCTION
    assert project.completed_on is None


def test_a_position_outside_anji_is_refused(commerce_admin, dipu):
    with pytest.raises(ValidationError) as error:
        make_project(
            actor=commerce_admin,
            township=dipu,
            latitude=Decimal("31.2"),
            longitude=Decimal("121.5"),
        )
    assert "latitude" in error.value.message_dict
    assert not NetworkProject.objects.exists()


def test_negative_amounts_are_refused(commerce_admin, dipu):
    with pytest.raises(ValidationError) as error:
        make_project(actor=commerce_admin, township=dipu, subsidy=Decimal("-1"))
    assert "subsidy" in error.value.message_dict
    assert not NetworkProject.objects.exists()


def test_a_stage_cannot_be_dated_before_the_previous_one_or_in_the_future(commerce_admin, dipu):
    project = make_project(actor=commerce_admin, township=dipu)
    with pytest.raises(ValidationError):
        advance_project(project=project, actor=commerce_admin, on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        advance_project(project=project, actor=commerce_admin, on=dt.date(2999, 1, 1))
    project.refresh_from_db()
    assert project.stage == ProjectStage.PLANNING


def test_a_project_in_operation_changes_no_more(commerce_admin, dipu, dipu_village):
    project = make_project(actor=commerce_admin, township=dipu, village=dipu_village, **POSITION)
    project = _through(project, commerce_admin)
    with pytest.raises(ValidationError):
        advance_project(project=project, actor=commerce_admin, on=dt.date(2025, 5, 1))
    project.name = "改名"
    with pytest.raises(ValidationError):
        update_project(project=project, actor=commerce_admin)


def test_a_township_runs_its_own_stations_but_not_the_centre_nor_another_township(
    dipu_officer, dipu, changshuo, commerce_admin
):
    project = make_project(actor=dipu_officer, township=dipu, kind="station")
    assert project.registered_by == dipu_officer
    with pytest.raises(PermissionDenied):
        make_project(actor=dipu_officer, township=changshuo, kind="station")
    with pytest.raises(PermissionDenied):
        make_project(actor=dipu_officer, township=dipu, kind="centre")
    centre = make_project(actor=commerce_admin, township=dipu, kind="centre")
    with pytest.raises(PermissionDenied):
        advance_project(project=centre, actor=dipu_officer, on=dt.date(2024, 5, 1))


def test_the_registry_refuses_what_it_refuses_and_nothing_is_left_half_done(commerce_admin, dipu):
    """A point without a village cannot complete (the registry's rule, asked up front)."""
    project = register_project(
        project=NetworkProject(
            name="无村网点",
            kind="point",
            township=dipu,
            address="递铺",
            builder="递铺街道",
            target_year=2025,
            planned_on=dt.date(2024, 3, 1),
            **POSITION,
        ),
        actor=commerce_admin,
    )
    project = _through(project, commerce_admin, until=ProjectStage.CONSTRUCTION)
    with pytest.raises(ValidationError) as error:
        advance_project(project=project, actor=commerce_admin, on=dt.date(2025, 3, 1))
    assert "village" in error.value.message_dict
    assert Site.objects.count() == 0
