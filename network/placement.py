"""Placement suggestions (网点布局建议): for every village or community without an operating
collection point, how far the nearest operating point and station are, and which unserved
neighbours could share one new point.

The geometry is plain Python on the stored WGS-84 coordinates (great-circle distance by the
haversine formula), bucketed on a grid so that the work grows with the number of villages, not
with its square: 217 villages take milliseconds, 20,000 a few seconds
(`manage.py benchmark_placement`).

- A village is *unserved* when no operating collection point lies in it (sites.coverage).
- Two unserved villages of the same township are *neighbours* when they lie within the radius;
  a *cluster* is a group of villages linked by neighbours (single linkage).
- A cluster's suggested position is its centroid snapped to the nearest member's centre: the
  new point goes into a real village, which it then serves.
- A village without a position of its own cannot be measured: it is listed apart, to be given
  one on the village page.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .choices import SuggestionKind

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return _km(a)


def _km(a: float) -> float:
    """The distance of a haversine term a = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)."""
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _term(km: float) -> float:
    """The haversine term of a distance: comparing terms compares distances, without asin."""
    return math.sin(min(km / (2 * EARTH_RADIUS_KM), math.pi / 2)) ** 2


@dataclass(frozen=True, slots=True)
class Place:
    """Something with a position: a village (`group` = its township) or a site."""

    key: object
    lat: float
    lng: float
    group: object = None
    phi: float = field(init=False, repr=False, compare=False)
    lam: float = field(init=False, repr=False, compare=False)
    cos_phi: float = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "phi", math.radians(self.lat))
        object.__setattr__(self, "lam", math.radians(self.lng))
        object.__setattr__(self, "cos_phi", math.cos(self.phi))

    def term_to(self, other: "Place") -> float:
        """The haversine term to `other` (see `_term`), from the precomputed radians."""
        return (
            math.sin((other.phi - self.phi) / 2) ** 2
            + self.cos_phi * other.cos_phi * math.sin((other.lam - self.lam) / 2) ** 2
        )


class Grid:
    """Places bucketed in cells at least `cell_km` wide everywhere in the data's latitudes."""

    def __init__(self, places: Sequence[Place], cell_km: float):
        self.cell_km = cell_km
        top = max((abs(place.lat) for place in places), default=0.0)
        self.dlat = cell_km / KM_PER_DEGREE
        self.dlng = cell_km / (KM_PER_DEGREE * max(math.cos(math.radians(min(top, 89.0))), 1e-6))
        self.cells: dict[tuple[int, int], list[Place]] = defaultdict(list)
        for place in places:
            self.cells[self.cell_of(place)].append(place)
        rows = [i for i, _j in self.cells] or [0]
        columns = [j for _i, j in self.cells] or [0]
        self.bounds = (min(rows), max(rows), min(columns), max(columns))

    def cell_of(self, place: Place) -> tuple[int, int]:
        return math.floor(place.lat / self.dlat), math.floor(place.lng / self.dlng)

    def ring(self, centre: tuple[int, int], k: int) -> Iterable[Place]:
        i0, j0 = centre
        cells = self.cells
        if k == 0:
            yield from cells.get(centre, ())
            return
        for i in range(i0 - k, i0 + k + 1):
            yield from cells.get((i, j0 - k), ())
            yield from cells.get((i, j0 + k), ())
        for j in range(j0 - k + 1, j0 + k):
            yield from cells.get((i0 - k, j), ())
            yield from cells.get((i0 + k, j), ())

    def around(self, place: Place) -> Iterable[Place]:
        """The places in the place's cell and the eight around it: all within one cell size."""
        i0, j0 = self.cell_of(place)
        cells = self.cells
        for i in (i0 - 1, i0, i0 + 1):
            for j in (j0 - 1, j0, j0 + 1):
                yield from cells.get((i, j), ())

    def nearest(self, place: Place) -> tuple[Place | None, float | None]:
        """The nearest place: rings outward until no unseen cell can hold a nearer one."""
        if not self.cells:
            return None, None
        centre = self.cell_of(place)
        best, best_term = None, math.inf
        low_i, high_i, low_j, high_j = self.bounds
        i0, j0 = centre
        # The farthest ring that can hold anything.
        span = max(i0 - low_i, high_i - i0, j0 - low_j, high_j - j0, 0)
        for k in range(span + 1):
            for other in self.ring(centre, k):
                term = place.term_to(other)
                if term < best_term:
                    best, best_term = other, term
            # Every place in ring k+1 or beyond is at least k cells (k × cell_km) away.
            if best is not None and best_term <= _term(k * self.cell_km):
                break
        return best, _km(best_term) if best is not None else None


def target_cell_km(targets: Sequence[Place], *, at_least: float) -> float:
    """A cell size holding about one target each (sparse stations need big cells, or the rings
    walk through thousands of empty ones), and never below `at_least`."""
    if len(targets) < 2:
        return at_least
    lats = [place.lat for place in targets]
    lngs = [place.lng for place in targets]
    height = (max(lats) - min(lats)) * KM_PER_DEGREE
    width = (max(lngs) - min(lngs)) * KM_PER_DEGREE * math.cos(math.radians(max(map(abs, lats))))
    return max(at_least, math.sqrt(max(height * width, 0.0) / len(targets)))


def nearest_each(places: Sequence[Place], targets: Sequence[Place], *, cell_km: float = 2.0):
    """For each place, (the nearest target, its distance in km), or (None, None)."""
    grid = Grid(targets, target_cell_km(targets, at_least=cell_km))
    return {place.key: grid.nearest(place) for place in places}


def _neighbourhoods(places: Sequence[Place], radius_km: float):
    """For each cell at least `radius_km` wide holding places: (the indexes of its places, the
    indexes of the places in it and the eight cells around it)."""
    grid = Grid([], radius_km)
    grid.dlat = radius_km / KM_PER_DEGREE
    top = max((abs(place.lat) for place in places), default=0.0)
    grid.dlng = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(min(top, 89.0))), 1e-6))
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, place in enumerate(places):
        cells[grid.cell_of(place)].append(i)
    for (ci, cj), members in cells.items():
        around = [
            j
            for i in (ci - 1, ci, ci + 1)
            for k in (cj - 1, cj, cj + 1)
            for j in cells.get((i, k), ())
        ]
        yield members, around


def clusters_of(places: Sequence[Place], *, radius_km: float) -> list[list[Place]]:
    """Groups of places of the same `group` linked by neighbours within `radius_km` (single
    linkage, union-find), each group in input order, the groups by their first member.

    The inner loop runs on plain lists of each cell's neighbourhood (gathered once per cell),
    the hot path of the 20,000-village benchmark."""
    parent = list(range(len(places)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    phi = [place.phi for place in places]
    lam = [place.lam for place in places]
    cos_phi = [place.cos_phi for place in places]
    group = [place.group for place in places]
    limit = _term(radius_km)
    sin = math.sin
    for members, around in _neighbourhoods(places, radius_km):
        for i in members:
            phi_i, lam_i, cos_i, group_i = phi[i], lam[i], cos_phi[i], group[i]
            for j in around:
                if j <= i or group[j] != group_i:
                    continue
                ri, rj = root(i), root(j)
                if ri == rj:
                    continue  # already linked through others (single linkage)
                term = (
                    sin((phi[j] - phi_i) / 2) ** 2
                    + cos_i * cos_phi[j] * sin((lam[j] - lam_i) / 2) ** 2
                )
                if term <= limit:
                    parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[Place]] = defaultdict(list)
    for i, place in enumerate(places):
        groups[root(i)].append(place)
    return [groups[key] for key in sorted(groups)]


def snapped_centroid(members: Sequence[Place]) -> Place:
    """The member nearest the group's centroid (the mean of latitudes and longitudes, exact
    enough over a few kilometres)."""
    lat = sum(place.lat for place in members) / len(members)
    lng = sum(place.lng for place in members) / len(members)
    return min(members, key=lambda place: (haversine_km(lat, lng, place.lat, place.lng), place.key))


# ---- The report on the database's villages and sites ----------------------------------------


@dataclass
class VillageGap:
    """One unserved village: the nearest operating point and station, and its cluster."""

    village: object
    nearest_point: object = None
    nearest_point_km: float | None = None
    nearest_station: object = None
    nearest_station_km: float | None = None
    cluster: "Cluster | None" = None

    @property
    def has_position(self) -> bool:
        return self.village.latitude is not None and self.village.longitude is not None


@dataclass
class Cluster:
    """A suggestion: unserved neighbours that one new point could serve, where to put it."""

    number: int
    township: object
    members: list[VillageGap]
    suggested_village: object
    kind: str
    radius_km: float

    @property
    def latitude(self) -> Decimal:
        return self.suggested_village.latitude

    @property
    def longitude(self) -> Decimal:
        return self.suggested_village.longitude

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def village_ids(self) -> list[int]:
        return [member.village.pk for member in self.members]

    @property
    def kind_label(self) -> str:
        return SuggestionKind(self.kind).label


@dataclass
class PlacementReport:
    radius_km: float
    gaps: list[VillageGap] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)

    @property
    def unlocated(self) -> list[VillageGap]:
        return [gap for gap in self.gaps if not gap.has_position]

    @property
    def located(self) -> list[VillageGap]:
        return [gap for gap in self.gaps if gap.has_position]


def _place(key, row, group=None) -> Place:
    return Place(key=key, lat=float(row.latitude), lng=float(row.longitude), group=group)


def _suggestion_kind(members: list[VillageGap], radius_km: float) -> str:
    if all(
        member.nearest_point_km is not None and member.nearest_point_km <= radius_km
        for member in members
    ):
        return SuggestionKind.NEARBY_POINT
    if len(members) > 1:
        return SuggestionKind.SHARED_POINT
    return SuggestionKind.OWN_POINT


def build_report(*, villages, points, stations, radius_km: float) -> PlacementReport:
    """The suggestions for `villages` (unserved, with township loaded), given the operating
    `points` and `stations` (sites with positions). No queries of its own."""
    report = PlacementReport(radius_km=radius_km)
    gaps = [VillageGap(village=village) for village in villages]
    report.gaps = gaps
    located = [gap for gap in gaps if gap.has_position]
    places = [_place(i, gap.village, gap.village.township_id) for i, gap in enumerate(located)]
    cell = max(radius_km, 1.0)
    for targets, attr in ((points, "point"), (stations, "station")):
        found = nearest_each(places, [_place(site, site) for site in targets], cell_km=cell)
        for place in places:
            site, distance = found[place.key]
            gap = located[place.key]
            setattr(gap, f"nearest_{attr}", site.key if site else None)
            setattr(gap, f"nearest_{attr}_km", round(distance, 2) if site else None)
    for number, group in enumerate(clusters_of(places, radius_km=radius_km), start=1):
        members = [located[place.key] for place in group]
        chosen = located[snapped_centroid(group).key]
        cluster = Cluster(
            number=number,
            township=chosen.village.township,
            members=members,
            suggested_village=chosen.village,
            kind=_suggestion_kind(members, radius_km),
            radius_km=radius_km,
        )
        for member in members:
            member.cluster = cluster
        report.clusters.append(cluster)
    return report
