"""Every write to the network-building projects goes through these services. Putting a project
into operation registers (or links) its site through the registry's services, with the
registry's validation, so coverage follows."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anji_recycling.history import save_with_history
from anji_recycling.validators import validate_image_upload
from sites import services as site_services
from sites.choices import SiteStatus, SiteTier
from sites.models import Site

from .choices import (
    KIND_TIER,
    STAGE_DATES,
    STAGE_ORDER,
    ProjectAction,
    ProjectKind,
    ProjectStage,
    next_stage,
)
from .models import NetworkProject, ProjectPhoto, ProjectStageChange
from .policy import PROJECT_POLICY


def default_target_year() -> int:
    """The document's goal year (力争到2025年), unless the deployment sets another."""
    return settings.NETWORK_TARGET_YEAR


def _check_amounts(project):
    errors = {}
    for name in ("investment_government", "investment_enterprise", "investment_social", "subsidy"):
        value = getattr(project, name)
        if value is not None and value < 0:
            errors[name] = _("An amount cannot be negative.")
    if errors:
        raise ValidationError(errors)


def _check_stage_dates(project):
    """Stage dates in order and none in the future."""
    today = timezone.localdate()
    errors = {}
    previous = None
    for stage in STAGE_ORDER:
        name = STAGE_DATES[stage][0]
        value = getattr(project, name)
        if value is None:
            continue
        if value > today:
            errors[name] = _("A stage reached cannot be dated in the future.")
        elif previous is not None and value < previous:
            errors[name] = _("A stage cannot be dated before the stage it follows.")
        previous = value
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def register_project(*, project: NetworkProject, actor) -> NetworkProject:
    """Register a new project at the planning stage (规划)."""
    if project.pk is not None:
        raise ValueError("register_project creates projects; use update_project to change one")
    PROJECT_POLICY.ensure_allowed(project, actor, ProjectAction.REGISTER)
    project.stage = ProjectStage.PLANNING
    project.planned_on = project.planned_on or timezone.localdate()
    project.target_year = project.target_year or default_target_year()
    project.registered_by = actor
    _check_amounts(project)
    _check_stage_dates(project)
    save_with_history(project, actor=actor)
    ProjectStageChange.objects.create(
        project=project,
        from_stage="",
        to_stage=ProjectStage.PLANNING,
        on=project.planned_on,
        actor=actor,
        note=_("Registered"),
    )
    return project


@transaction.atomic
def update_project(*, project: NetworkProject, actor) -> NetworkProject:
    """Change a project's data; its stage changes only through advance_project."""
    stored = NetworkProject.objects.select_for_update().get(pk=project.pk)
    PROJECT_POLICY.ensure_allowed(stored, actor, ProjectAction.CHANGE)
    if stored.stage != project.stage:
        raise ValidationError({"stage": _("Move the project to its next stage with the action.")})
    _check_amounts(project)
    _check_stage_dates(project)
    save_with_history(project, actor=actor)
    if stored.planned_on != project.planned_on:
        # The timeline's first row is the planning stage: it carries the planning date.
        registered = project.stage_changes.filter(to_stage=ProjectStage.PLANNING).first()
        if registered is not None:
            registered.on = project.planned_on
            registered.save(update_fields=["on"])
    return project


def _check_ready_for(project, stage):
    """What a stage asks of the project beyond its date."""
    errors = {}
    if stage in (ProjectStage.COMPLETED, ProjectStage.OPERATING):
        if project.latitude is None or project.longitude is None:
            errors["latitude"] = _(
                "A completed project needs its position inside Anji County: set latitude and "
                "longitude first."
            )
        if project.tier == SiteTier.COLLECTION_POINT and not project.village_id:
            errors["village"] = _("A collection point lies in a village or community.")
    if stage == ProjectStage.OPERATING and not project.address.strip():
        errors["address"] = _("Give the site's address before it goes into operation.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def advance_project(
    *, project: NetworkProject, actor, on: dt.date, note: str = ""
) -> NetworkProject:
    """Move a project to its next stage on the given date. 投运 registers its site in the
    registry (or puts the linked site into operation), so coverage moves."""
    project = (
        NetworkProject.objects.select_for_update(of=("self",))
        .select_related("township", "village", "site")
        .get(pk=project.pk)
    )
    PROJECT_POLICY.ensure_allowed(project, actor, ProjectAction.ADVANCE)
    stage = next_stage(project.stage)
    if on is None:
        raise ValidationError({"on": _("Give the date of the stage.")})
    previous = project.stage
    setattr(project, STAGE_DATES[stage][0], on)
    _check_stage_dates(project)
    _check_ready_for(project, stage)
    project.stage = stage
    if stage == ProjectStage.OPERATING:
        project.site = _put_site_into_operation(project=project, actor=actor, on=on)
    save_with_history(project, actor=actor, reason=note)
    ProjectStageChange.objects.create(
        project=project, from_stage=previous, to_stage=stage, on=on, actor=actor, note=note
    )
    return project


def _put_site_into_operation(*, project, actor, on) -> Site:
    reason = _("Network project %(name)s in operation since %(on)s") % {
        "name": project.name,
        "on": on.isoformat(),
    }
    if project.site_id is None:
        site = Site(
            name=project.name,
            tier=KIND_TIER[ProjectKind(project.kind)],
            status=SiteStatus.OPERATING,
            township=project.township,
            village=project.village,
            venue_type=project.venue_type,
            address=project.address,
            operator=project.operator,
            parent=project.parent,
            latitude=project.latitude,
            longitude=project.longitude,
            dual_use=project.kind == ProjectKind.CONVERSION,
        )
        return site_services.register_site(site=site, actor=actor, reason=reason)
    site = Site.objects.get(pk=project.site_id)
    if project.kind == ProjectKind.CONVERSION and not site.dual_use:
        site.dual_use = True
        site = site_services.update_site(site=site, actor=actor, reason=reason)
    if site.status != SiteStatus.OPERATING:
        site = site_services.change_site_status(
            site=site, to=SiteStatus.OPERATING, actor=actor, reason=reason, source=project.name
        )
    return site


@transaction.atomic
def add_project_photo(*, project: NetworkProject, image, actor, caption: str = "") -> ProjectPhoto:
    PROJECT_POLICY.ensure_allowed(project, actor, ProjectAction.ADD_PHOTO)
    validate_image_upload(image)
    photo = ProjectPhoto(
        project=project, stage=project.stage, image=image, caption=caption, uploaded_by=actor
    )
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def adopt_suggestion(*, cluster, actor, target_year: int | None = None) -> NetworkProject:
    """A placement suggestion becomes a project in one step: a collection point at the
    suggested village's centre, naming the villages it would serve."""
    village = cluster.suggested_village
    served = "、".join(str(member.village) for member in cluster.members)
    project = NetworkProject(
        name=_("%(village)s collection point") % {"village": village.short_name or village.name},
        kind=ProjectKind.POINT,
        township=village.township,
        village=village,
        address=village.name,
        builder=village.township.name,
        latitude=cluster.latitude,
        longitude=cluster.longitude,
        target_year=target_year or default_target_year(),
        note=_("From the placement suggestion: serves %(villages)s.") % {"villages": served},
    )
    return register_project(project=project, actor=actor)
