"""Every status change goes through one service, follows one table and is recorded."""

import pytest
from django.core.exceptions import ValidationError

from sites.choices import STATUS_CHANGES, SiteStatus
from sites.models import Site, SiteStatusChange
from sites.services import change_site_status
from tests.factories import make_site

pytestmark = pytest.mark.django_db

ALLOWED = [(before, after) for before, targets in STATUS_CHANGES.items() for after in targets]
REFUSED = [
    (before, after)
    for before in SiteStatus
    for after in SiteStatus
    if after not in STATUS_CHANGES[before]
]


@pytest.mark.parametrize(("before", "after"), ALLOWED)
def test_every_allowed_status_change_is_made_and_recorded(before, after, dipu_officer):
    site = make_site(actor=dipu_officer, status=before)

    change_site_status(site=site, to=after, actor=dipu_officer, reason="巡查核实")

    site.refresh_from_db()
    assert site.status == after
    change = site.status_changes.first()
    assert (change.from_status, change.to_status) == (before, after)
    assert change.actor == dipu_officer
    assert change.reason == "巡查核实"
    latest = site.history.latest()
    assert latest.status == after
    assert latest.history_user == dipu_officer
    assert latest.history_change_reason == "巡查核实"


@pytest.mark.parametrize(("before", "after"), REFUSED)
def test_every_other_status_change_is_refused_and_changes_nothing(before, after, dipu_officer):
    site = make_site(actor=dipu_officer, status=before)
    changes_before = SiteStatusChange.objects.filter(site=site).count()

    with pytest.raises(ValidationError):
        change_site_status(site=site, to=after, actor=dipu_officer, reason="试图变更")

    site.refresh_from_db()
    assert site.status == before
    assert SiteStatusChange.objects.filter(site=site).count() == changes_before


def test_a_status_change_needs_a_reason(dipu_officer):
    site = make_site(actor=dipu_officer, status=SiteStatus.OPERATING)
    with pytest.raises(ValidationError) as error:
        change_site_status(site=site, to=SiteStatus.RECTIFYING, actor=dipu_officer, reason=" ")
    assert "reason" in error.value.message_dict


def test_registration_starts_the_timeline(dipu_officer):
    site = make_site(actor=dipu_officer, status=SiteStatus.PLANNED)
    first = site.status_changes.get()
    assert (first.from_status, first.to_status, first.actor) == ("", "planned", dipu_officer)
    assert site.code == f"330523001-3-{int(site.code[-4:]):04d}"


def test_site_numbers_count_up_per_township_and_tier(dipu_officer):
    first = make_site(actor=dipu_officer, tier=2)
    second = make_site(actor=dipu_officer, tier=2)
    assert int(second.code.rsplit("-", 1)[1]) == int(first.code.rsplit("-", 1)[1]) + 1
    assert Site.objects.filter(code=second.code).count() == 1


def test_an_illegal_point_needs_no_village_until_it_is_regularised(dipu_officer):
    from sites.models import Site
    from sites.services import register_site

    point = register_site(
        site=Site(
            name="路边无证收购点",
            tier=3,
            status="illegal",
            township=make_site(actor=dipu_officer).township,
            address="递铺街道某路口",
        ),
        actor=dipu_officer,
    )
    change_site_status(site=point, to=SiteStatus.BANNED, actor=dipu_officer, reason="联合执法取缔")

    fresh = register_site(
        site=Site(
            name="另一无证点",
            tier=3,
            status="illegal",
            township=point.township,
            address="递铺街道另一路口",
        ),
        actor=dipu_officer,
    )
    with pytest.raises(ValidationError) as error:
        change_site_status(
            site=fresh, to=SiteStatus.RECTIFYING, actor=dipu_officer, reason="纳入规范"
        )
    assert "village" in error.value.message_dict
