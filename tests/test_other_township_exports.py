"""Every export a township officer may download, asked for another township (`?township=`
its id, and the same filters the list pages take), holds none of that township's rows."""

import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.choices import Role
from agencies.models import Township
from tests.api.rows import a_little_of_everything
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_user

pytestmark = pytest.mark.django_db

EXPORTS = [
    "sites:site-export",
    "sites:operator-export",
    "trade:transfer-export",
    "trade:settlement-export",
    "network:project-export",
    "network:suggestion-export",
    "support:summary-export",
    "inspections:case-ledger",
    "inspections:grid-roster-export",
]


def cell_texts(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from (str(value) for value in row if value is not None)


def test_the_exports_hold_no_row_of_the_township_asked_for(
    client, commerce_admin, dipu_grid_worker, assessor
):
    a_little_of_everything(commerce_admin, dipu_grid_worker, assessor)
    dipu = Township.objects.get(code=DIPU)
    client.force_login(make_user(Role.TOWNSHIP_OFFICER, township_code=CHANGSHUO))

    answered, leaks = {}, []
    for name in EXPORTS:
        response = client.get(
            reverse(name),
            {"township": dipu.pk, "township_id": dipu.pk, "village__township": dipu.pk},
        )
        answered[name] = response.status_code
        if response.status_code == 200:
            leaks += [f"{name}: {text}" for text in cell_texts(response) if dipu.name in text]

    assert set(answered.values()) <= {200, 403}, answered
    assert list(answered.values()).count(200) >= 5, answered  # real files were asked for
    assert not leaks, "\n".join(leaks[:20])


def test_the_county_sees_those_rows_in_the_same_exports(
    client, commerce_admin, dipu_grid_worker, assessor
):
    """The check above can fail: the county's files do name 递铺."""
    a_little_of_everything(commerce_admin, dipu_grid_worker, assessor)
    dipu = Township.objects.get(code=DIPU)
    client.force_login(commerce_admin)

    named = [
        name
        for name in ("sites:site-export", "trade:transfer-export", "inspections:case-ledger")
        if any(dipu.name in text for text in cell_texts(client.get(reverse(name))))
    ]

    assert len(named) == 3, named
