"""Reads of the network-building projects, the progress towards the target year and the
placement suggestions. Every selector starts from `visible_to(user)`."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from agencies.models import Township
from sites.choices import SERVING_STATUSES, SiteTier
from sites.coverage import coverage_for_year, unserved_villages
from sites.models import Site

from .choices import KIND_TIER, STAGE_DATES, ProjectKind, ProjectStage, stages_before
from .models import NetworkProject, ProjectPhoto, ProjectStageChange
from .placement import PlacementReport, build_report

DEFAULT_RADIUS_KM = 2.0
MIN_RADIUS_KM = 0.2
MAX_RADIUS_KM = 20.0


def projects_for_list(*, user):
    return NetworkProject.objects.visible_to(user).select_related(
        "township", "village", "site", "operator"
    )


def late_condition(*, today: dt.date) -> Q:
    """A project is late when a stage's planned date has passed and it has not reached it."""
    condition = Q()
    for stage, (_actual, planned) in STAGE_DATES.items():
        if planned is None:
            continue
        condition |= Q(stage__in=stages_before(stage), **{f"{planned}__lt": today})
    return condition


def late_projects(*, user, today: dt.date | None = None):
    today = today or timezone.localdate()
    return projects_for_list(user=user).filter(late_condition(today=today))


def late_stages(project, *, today: dt.date) -> list[str]:
    """The stages this project has passed the planned date of without reaching them."""
    reached = [*stages_before(project.stage), project.stage]
    late = []
    for stage, (_actual, planned) in STAGE_DATES.items():
        due = getattr(project, planned) if planned else None
        if due is not None and due < today and stage not in reached:
            late.append(stage)
    return late


def project_timeline(*, project):
    return ProjectStageChange.objects.filter(project=project).select_related("actor")


def project_photos(*, project):
    return ProjectPhoto.objects.filter(project=project).select_related("uploaded_by")


# ---- Progress towards the target year -------------------------------------------------------


@dataclass
class TownshipProgress:
    township: Township
    village_count: int
    served_village_count: int
    has_transfer_station: bool
    project_count: int = 0
    operating_count: int = 0
    late_count: int = 0
    open_points_in_unserved_villages: int = 0  # open point projects in villages not yet served
    open_station_projects: int = 0
    investment: object = 0
    stage_counts: dict = field(default_factory=dict)

    @property
    def unserved_village_count(self) -> int:
        return self.village_count - self.served_village_count

    @property
    def gap_after_projects(self) -> int:
        """Unserved villages no open project would serve: what the suggestions are for."""
        return max(self.unserved_village_count - self.open_points_in_unserved_villages, 0)

    @property
    def station_gap(self) -> bool:
        """No operating transfer station, and none being built."""
        return not self.has_transfer_station and not self.open_station_projects


@dataclass
class NetworkProgress:
    target_year: int
    as_of: dt.date
    townships: list[TownshipProgress]

    def total(self, name) -> int:
        return sum(getattr(row, name) for row in self.townships)

    @property
    def village_count(self):
        return self.total("village_count")

    @property
    def served_village_count(self):
        return self.total("served_village_count")

    @property
    def unserved_village_count(self):
        return self.total("unserved_village_count")

    @property
    def gap_after_projects(self):
        return self.total("gap_after_projects")

    @property
    def project_count(self):
        return self.total("project_count")

    @property
    def operating_count(self):
        return self.total("operating_count")

    @property
    def late_count(self):
        return self.total("late_count")

    @property
    def townships_without_station(self):
        return sum(1 for row in self.townships if not row.has_transfer_station)

    @property
    def station_gap_count(self):
        return sum(1 for row in self.townships if row.station_gap)

    @property
    def years_left(self) -> int:
        return self.target_year - self.as_of.year


def network_progress(*, user, target_year: int, township=None, coverage=None) -> NetworkProgress:
    """Per township the user sees: villages served, the transfer station, projects by stage,
    those late against their planned dates, and what the open projects would close of the
    gap. Four queries however many townships and projects (two when the caller passes the
    coverage report it already has: served villages count today's statuses whatever the
    year)."""
    today = timezone.localdate()
    coverage = coverage or coverage_for_year(user=user, year=target_year)
    rows = {
        row.township.pk: TownshipProgress(
            township=row.township,
            village_count=row.village_count,
            served_village_count=row.served_village_count,
            has_transfer_station=row.has_transfer_station,
        )
        for row in coverage.townships
        if township is None or row.township.pk == township.pk
    }
    projects = NetworkProject.objects.visible_to(user).filter(target_year__lte=target_year)
    if township is not None:
        projects = projects.filter(township=township)
    open_projects = projects.exclude(stage=ProjectStage.OPERATING)
    served = Site.objects.filter(
        tier=SiteTier.COLLECTION_POINT,
        status__in=SERVING_STATUSES,
        village_id=OuterRef("village_id"),
    )
    counts = (
        projects.order_by()
        .values("township_id")
        .annotate(
            n=Count("pk"),
            operating=Count("pk", filter=Q(stage=ProjectStage.OPERATING)),
            late=Count("pk", filter=late_condition(today=today)),
            investment=Sum("investment_government")
            + Sum("investment_enterprise")
            + Sum("investment_social"),
        )
    )
    for row in counts:
        progress = rows.get(row["township_id"])
        if progress is not None:
            progress.project_count = row["n"]
            progress.operating_count = row["operating"]
            progress.late_count = row["late"]
            progress.investment = row["investment"] or 0
    point_kinds = [kind for kind, tier in KIND_TIER.items() if tier == SiteTier.COLLECTION_POINT]
    station_kinds = [kind for kind, tier in KIND_TIER.items() if tier == SiteTier.TRANSFER_STATION]
    gaps = (
        open_projects.order_by()
        .values("township_id")
        .annotate(
            points=Count(
                "village_id",
                distinct=True,
                filter=Q(kind__in=point_kinds, village__isnull=False) & ~Q(Exists(served)),
            ),
            stations=Count("pk", filter=Q(kind__in=station_kinds)),
        )
    )
    for row in gaps:
        progress = rows.get(row["township_id"])
        if progress is not None:
            progress.open_points_in_unserved_villages = row["points"]
            progress.open_station_projects = row["stations"]
    return NetworkProgress(target_year=target_year, as_of=today, townships=list(rows.values()))


# ---- Placement suggestions ------------------------------------------------------------------


def operating_sites(*, tier: int):
    """Operating sites of a tier with a position, county-wide: a village near a township's
    border may be served from the next township, whoever looks."""
    return (
        Site.objects.filter(
            tier=tier,
            status__in=SERVING_STATUSES,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .select_related("township")
        .only("pk", "code", "name", "tier", "latitude", "longitude", "township__name")
    )


def placement_suggestions(*, user, radius_km: float = DEFAULT_RADIUS_KM, township=None):
    """The suggestions for the unserved villages the user sees. Three queries."""
    villages = list(unserved_villages(user=user, township=township))
    return build_report(
        villages=villages,
        points=list(operating_sites(tier=SiteTier.COLLECTION_POINT)),
        stations=list(operating_sites(tier=SiteTier.TRANSFER_STATION)),
        radius_km=radius_km,
    )


def find_cluster(report: PlacementReport, village_ids) -> object:
    """The cluster with exactly these villages, or None (the suggestion changed meanwhile)."""
    wanted = sorted(int(pk) for pk in village_ids)
    return next((c for c in report.clusters if sorted(c.village_ids) == wanted), None)


def kinds_for(user):
    """The project kinds a user may register (a township not the county's centre)."""
    from .models import is_county_builder

    if is_county_builder(user):
        return list(ProjectKind)
    return [kind for kind in ProjectKind if kind != ProjectKind.CENTRE]
