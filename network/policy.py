"""Who may do what to a network-building project: one table (anji_recycling.policy).

The county's builder (the commerce bureau; the 供销联社 once accounts.access defines
`is_supply_coop`, see models.is_county_builder) registers and runs every project; a township
officer its own township's stations and points. A project moves one stage at a time from
规划 to 投运; in operation it is the registry's site and changes no more here."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import is_officer_of_township, is_township_officer
from anji_recycling.policy import Policy, Rule

from .choices import Actor, ProjectAction, ProjectKind, ProjectStage
from .models import is_county_builder

NEW = "new"  # the state of a project not saved yet

OPEN_STAGES = {stage for stage in ProjectStage if stage != ProjectStage.OPERATING}
ALL_STAGES = set(ProjectStage)
RUNNING = {Actor.BUILDER, Actor.TOWNSHIP}


def project_relations(project, user) -> set:
    relations = set()
    if is_county_builder(user):
        relations.add(Actor.BUILDER)
    if project.kind != ProjectKind.CENTRE and is_officer_of_township(user, project.township_id):
        relations.add(Actor.TOWNSHIP)
    return relations


def _stage(project) -> str:
    return NEW if project.pk is None else project.stage


def _stage_label(stage) -> str:
    return _("not saved yet") if stage == NEW else str(ProjectStage(stage).label)


PROJECT_POLICY = Policy(
    noun=gettext_lazy("project"),
    rules={
        ProjectAction.REGISTER: Rule(actors=RUNNING, states={NEW}),
        ProjectAction.CHANGE: Rule(actors=RUNNING, states=OPEN_STAGES),
        ProjectAction.ADVANCE: Rule(
            actors=RUNNING, states=OPEN_STAGES, changes=gettext_lazy("the project's stage")
        ),
        ProjectAction.ADD_PHOTO: Rule(actors=RUNNING, states=ALL_STAGES),
    },
    relations=project_relations,
    state_of=_stage,
    action_label=lambda action: ProjectAction(action).label,
    actor_label=lambda actor: Actor(actor).label,
    state_label=_stage_label,
)


def may_register_projects(user) -> bool:
    """Whether the user may register any project at all (the list's button)."""
    if is_county_builder(user):
        return True
    return is_township_officer(user)
