"""Placement suggestions on hand-built villages whose answer is worked out by hand.

At latitude 30.5°, 0.01° of longitude is 6371.0088 km × 0.01 × π/180 × cos 30.5° = 0.958 km.
Villages A, B, C of 递铺 lie 0.958 km apart in a row (A–C 1.916 km); with a radius of 1.5 km
A–B and B–C are neighbours, so A, B, C form one cluster (single linkage) whose centroid is B's
centre: the suggested point goes into B. D lies 11 km north: a cluster of its own. E, in 昌硕,
lies 0.479 km east of C but in another township: its own cluster. An operating point stands
0.479 km from D, in another village, so D's advice is to share it."""

import random
from decimal import Decimal

import pytest

from agencies.models import Village
from network.choices import SuggestionKind
from network.placement import Place, clusters_of, haversine_km, nearest_each, snapped_centroid
from network.selectors import placement_suggestions
from tests.factories import make_site

ROW_LAT = 30.5


def test_haversine_matches_the_hand_computed_kilometre():
    assert haversine_km(ROW_LAT, 119.50, ROW_LAT, 119.51) == pytest.approx(0.958, abs=0.001)


def test_chained_neighbours_form_one_cluster_snapped_to_the_middle_village():
    a, b, c = (
        Place(key=name, lat=ROW_LAT, lng=119.50 + i * 0.01, group="递铺")
        for i, name in enumerate("ABC")
    )
    d = Place(key="D", lat=30.6, lng=119.51, group="递铺")
    e = Place(key="E", lat=ROW_LAT, lng=119.525, group="昌硕")
    groups = clusters_of([a, b, c, d, e], radius_km=1.5)
    assert [[place.key for place in group] for group in groups] == [["A", "B", "C"], ["D"], ["E"]]
    assert snapped_centroid(groups[0]).key == "B"
    # With a radius under the spacing, nobody is a neighbour.
    assert len(clusters_of([a, b, c], radius_km=0.9)) == 3


def test_the_grid_finds_what_brute_force_finds():
    rng = random.Random(7)

    def scatter(n, prefix):
        return [
            Place(
                key=f"{prefix}{i}",
                lat=rng.uniform(30.2, 30.9),
                lng=rng.uniform(119.2, 119.9),
                group=rng.choice("xy"),
            )
            for i in range(n)
        ]

    villages, points = scatter(300, "v"), scatter(40, "p")
    found = nearest_each(villages, points, cell_km=2.0)
    for village in villages:
        best = min(points, key=lambda p: haversine_km(village.lat, village.lng, p.lat, p.lng))
        assert found[village.key][0] == best
    groups = clusters_of(villages, radius_km=3.0)
    index = {place.key: n for n, group in enumerate(groups) for place in group}
    for one in villages:
        for other in villages:
            close = haversine_km(one.lat, one.lng, other.lat, other.lng) <= 3.0
            if close and one.group == other.group:
                assert index[one.key] == index[other.key]


@pytest.mark.django_db
def test_the_suggestions_page_data_on_hand_built_villages(commerce_admin, dipu, changshuo):
    Village.objects.update(latitude=None, longitude=None)
    dipu_villages = list(Village.objects.filter(township=dipu, is_active=True)[:5])
    a, b, c, d, served = dipu_villages
    e = Village.objects.filter(township=changshuo, is_active=True).first()
    positions = {
        a: (ROW_LAT, 119.50),
        b: (ROW_LAT, 119.51),
        c: (ROW_LAT, 119.52),
        d: (30.6, 119.51),
        e: (ROW_LAT, 119.525),
        served: (30.6, 119.515),
    }
    for village, (lat, lng) in positions.items():
        village.latitude, village.longitude = Decimal(str(lat)), Decimal(str(lng))
        village.save()
    make_site(
        actor=commerce_admin, village=served, latitude=Decimal("30.6"), longitude=Decimal("119.515")
    )

    report = placement_suggestions(user=commerce_admin, radius_km=1.5)

    by_village = {tuple(sorted(m.village.pk for m in c_.members)): c_ for c_ in report.clusters}
    abc = by_village[tuple(sorted([a.pk, b.pk, c.pk]))]
    assert abc.suggested_village == b
    assert abc.kind == SuggestionKind.SHARED_POINT
    own_d = by_village[(d.pk,)]
    assert own_d.kind == SuggestionKind.NEARBY_POINT
    assert own_d.members[0].nearest_point_km == pytest.approx(0.48, abs=0.01)
    assert by_village[(e.pk,)].kind == SuggestionKind.OWN_POINT
    assert len(report.clusters) == 3  # the served village is no gap
    assert {gap.village.pk for gap in report.unlocated}.isdisjoint(set(positions))
    member_a = next(m for m in abc.members if m.village == a)
    # A's nearest operating point is the one by D: 11.1 km north and 0.15 km east.
    assert member_a.nearest_point_km == pytest.approx(
        haversine_km(ROW_LAT, 119.50, 30.6, 119.515), abs=0.01
    )
    assert member_a.nearest_station is None


@pytest.mark.django_db
def test_suggestions_for_217_villages_take_three_queries(commerce_admin, django_assert_num_queries):
    with django_assert_num_queries(3):
        report = placement_suggestions(user=commerce_admin)
    assert len(report.gaps) == 217
