"""What the 供销联社 reads of the support records. It builds the network (承担县再生资源回收体系
网点建设) and supervises its own enterprises (督促指导下属再生资源回收企业): it reads the grants to
network-building projects and to its enterprises, and the land cases of their sites, on pages,
history, the API and the summary export; not what other operators (its enterprises'
competitors) received."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from accounts.choices import Role
from support.models import LandSupportCase, Subsidy
from tests.conftest import CHANGSHUO
from tests.factories import make_land_support, make_operator, make_site, make_subsidy, make_user
from tests.network.conftest import make_project

pytestmark = pytest.mark.django_db

GRANTED = dt.date(2025, 4, 1)


def land_case(actor, site):
    return make_land_support(
        actor=actor,
        site=site,
        area=Decimal("600"),
        requested_on=dt.date(2025, 3, 1),
        decision="approved",
        decided_on=dt.date(2025, 4, 1),
    )


@pytest.fixture
def support(commerce_admin, dipu):
    finance = make_user(Role.AGENCY_OFFICER, agency_code="finance")
    planning = make_user(Role.AGENCY_OFFICER, agency_code="planning")
    own = make_operator(actor=commerce_admin, seed=71, is_coop_enterprise=True)
    rival = make_operator(actor=commerce_admin, seed=72, township_code=CHANGSHUO)
    project = make_project(actor=commerce_admin, township=dipu, name="递铺中转站建设项目")
    return {
        "own": make_subsidy(
            actor=finance, granted_on=GRANTED, amount=Decimal("1000.00"), operator=own
        ),
        "project": make_subsidy(
            actor=finance, granted_on=GRANTED, amount=Decimal("200.00"), project=project
        ),
        "rival": make_subsidy(
            actor=finance, granted_on=GRANTED, amount=Decimal("30000.00"), operator=rival
        ),
        "own_land": land_case(planning, make_site(actor=commerce_admin, operator=own)),
        "rival_land": land_case(
            planning, make_site(actor=commerce_admin, operator=rival, township_code=CHANGSHUO)
        ),
    }


def test_the_coop_reads_its_enterprises_and_the_networks_support_only(
    client, api_client, coop_staff, commerce_admin, support
):
    assert set(Subsidy.objects.visible_to(coop_staff)) == {support["own"], support["project"]}
    assert list(LandSupportCase.objects.visible_to(coop_staff)) == [support["own_land"]]
    # The commerce bureau still reads all of it.
    assert Subsidy.objects.visible_to(commerce_admin).count() == 3

    client.force_login(coop_staff)
    listed = client.get(reverse("support:subsidy-list")).context["object_list"]
    assert set(listed) == {support["own"], support["project"]}
    for name, key in (
        ("support:subsidy-detail", "rival"),
        ("support:subsidy-history", "rival"),
        ("support:land-detail", "rival_land"),
        ("support:land-history", "rival_land"),
    ):
        assert client.get(reverse(name, args=[support[key].pk])).status_code == 404, name
    assert (
        client.get(reverse("support:subsidy-detail", args=[support["own"].pk])).status_code == 200
    )

    response = client.get(reverse("support:summary-export"))
    content = b"".join(getattr(response, "streaming_content", [])) or response.content
    rows = list(
        openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(min_row=3, values_only=True)
    )
    assert [(row[0], row[2], row[7]) for row in rows] == [(1, "递铺街道", 1200)]

    api_client.force_authenticate(coop_staff)
    ids = {row["id"] for row in api_client.get("/api/v1/subsidies/").json()["results"]}
    assert ids == {support["own"].pk, support["project"].pk}
    assert api_client.get(f"/api/v1/subsidies/{support['rival'].pk}/").status_code == 404
    ids = {row["id"] for row in api_client.get("/api/v1/land-support-cases/").json()["results"]}
    assert ids == {support["own_land"].pk}
