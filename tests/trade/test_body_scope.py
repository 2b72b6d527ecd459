"""The co-op runs the sorting centre and trades with the stations: it sees the flows its own
enterprises' sites take part in, not the other operators' trading; the association (a trade
body) sees none of it; the government agencies the county."""

import io

import openpyxl
import pytest
from django.urls import reverse

from sites.models import Site
from tests.factories import make_operator

from .conftest import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def flows(network, commerce_admin, paper):
    coop_enterprise = make_operator(actor=commerce_admin, seed=51, is_coop_enterprise=True)
    Site.objects.filter(pk=network.centre.pk).update(operator=coop_enterprise)
    to_centre = deliver(
        actor=commerce_admin, from_site=network.cs_station, to_site=network.centre, material=paper
    )
    between_others = deliver(
        actor=commerce_admin,
        from_site=network.dipu_point,
        to_site=network.dipu_station,
        material=paper,
        price="1234.5",
    )
    return to_centre, between_others


def _listed(client, user):
    client.force_login(user)
    response = client.get(reverse("trade:transfer-list"))
    if response.status_code == 403:
        return []
    return list(response.context["object_list"])


def test_coop_sees_only_the_flows_of_its_enterprises_sites(client, api_client, flows, coop_staff):
    to_centre, between_others = flows
    assert _listed(client, coop_staff) == [to_centre]
    detail = reverse("trade:transfer-detail", args=[between_others.pk])
    assert client.get(detail).status_code in (403, 404)
    api_client.force_authenticate(coop_staff)
    ids = [row["id"] for row in api_client.get("/api/v1/transfers/").json()["results"]]
    assert ids == [to_centre.pk]
    response = client.get(reverse("trade:transfer-export"))
    assert response.status_code == 200
    content = b"".join(getattr(response, "streaming_content", [])) or response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "递铺网点" not in cells
    assert "昌硕中转站" in cells


def test_association_sees_no_trading_an_agency_the_county(
    client, api_client, flows, association, market_officer
):
    assert _listed(client, association) == []
    api_client.force_authenticate(association)
    response = api_client.get("/api/v1/transfers/")
    assert response.status_code == 403 or response.json()["results"] == []
    assert set(_listed(client, market_officer)) == set(flows)
