from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sites.choices import SiteTier


class ProjectKind(models.TextChoices):
    """What a network-building project builds (measure (一) of the county's opinions)."""

    CENTRE = "centre", _("New county sorting centre")
    STATION = "station", _("New township transfer and sorting station")
    POINT = "point", _("New collection point")
    CONVERSION = "conversion", _("Converted garbage-sorting transfer station (一场两用)")


# The registry tier each kind of project becomes.
KIND_TIER = {
    ProjectKind.CENTRE: SiteTier.SORTING_CENTRE,
    ProjectKind.STATION: SiteTier.TRANSFER_STATION,
    ProjectKind.POINT: SiteTier.COLLECTION_POINT,
    ProjectKind.CONVERSION: SiteTier.TRANSFER_STATION,
}


class LandStatus(models.TextChoices):
    """Measure (六): land for the network's sites."""

    EXISTING = "existing", _("Existing plant or land")
    NEW_ALLOCATION = "new_allocation", _("New land allocation")
    PENDING = "pending", _("Pending with the natural resources and planning bureau")


class ProjectStage(models.TextChoices):
    PLANNING = "planning", pgettext_lazy("project stage", "Planned")
    APPROVED = "approved", pgettext_lazy("project stage", "Approved")
    CONSTRUCTION = "construction", pgettext_lazy("project stage", "Under construction")
    COMPLETED = "completed", pgettext_lazy("project stage", "Completed")
    OPERATING = "operating", pgettext_lazy("project stage", "In operation")


# The stages in their one order: a project moves to the next one, never skips or goes back.
STAGE_ORDER = list(ProjectStage)

# Each stage's actual date and planned date (None: the planning stage has no planned date).
STAGE_DATES = {
    ProjectStage.PLANNING: ("planned_on", None),
    ProjectStage.APPROVED: ("approved_on", "planned_approval_on"),
    ProjectStage.CONSTRUCTION: ("construction_started_on", "planned_construction_on"),
    ProjectStage.COMPLETED: ("completed_on", "planned_completion_on"),
    ProjectStage.OPERATING: ("operating_on", "planned_operation_on"),
}


def next_stage(stage) -> str | None:
    index = STAGE_ORDER.index(ProjectStage(stage))
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def stages_before(stage) -> list[str]:
    return STAGE_ORDER[: STAGE_ORDER.index(ProjectStage(stage))]


class ProjectAction(models.TextChoices):
    REGISTER = "register", _("Register a project")
    CHANGE = "change", _("Edit the project")
    ADVANCE = "advance", _("Move to the next stage")
    ADD_PHOTO = "add_photo", _("Add a photo")


class Actor(models.TextChoices):
    BUILDER = "builder", _("the county's network builder (commerce bureau, supply co-op)")
    TOWNSHIP = "township", _("the project's township")


class SuggestionKind(models.TextChoices):
    OWN_POINT = "own_point", _("Own collection point")
    SHARED_POINT = "shared_point", _("One point shared by neighbouring villages")
    NEARBY_POINT = "nearby_point", _("An operating point lies within reach")
