import pytest
from django.core.management import call_command
from django.utils import translation

from agencies.models import Township
from inspections.models import Case
from sites.models import Site

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_every_township_through_the_services_once(commerce_admin, capsys):
    with translation.override("en"):
        call_command("seed_demo")
        first = Site.objects.count()
        call_command("seed_demo")

    assert Site.objects.filter(tier=2).values("township").distinct().count() == (
        Township.objects.count()
    )
    assert Site.objects.count() == first
    assert "already there" in capsys.readouterr().out
    assert Case.objects.exists()
    assert all(case.duty_rule_id for case in Case.objects.all())
    assert {site.status_changes.count() >= 1 for site in Site.objects.all()} == {True}
