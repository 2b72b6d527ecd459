"""A bounded, reproducible schemathesis run over the whole API as a commerce admin: no request
the schema allows (or nearly allows) gets a 5xx, and every documented answer matches the
schema. Each operation is one test (`-k "sites"` picks some); the run is derandomized, so a
failure comes back on the next run.

Path ids are random integers, which would almost always answer 404: most of them are mapped
to rows that exist (a site with an operator, an inspection and its case, an assessment
period, a held joint meeting with an action item, this week's patrol tasks, the reference
data), so updates, workflow actions and deletions really run."""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.services import issue_api_token
from anji_recycling.api.urls import router

from .rows import a_little_of_everything, model_of

pytestmark = pytest.mark.django_db

# Cases per operation in the fuzzing phase (valid and invalid requests alike).
MAX_EXAMPLES = 15

# The coverage phase (every parameter's and body field's boundary values: empty, too long,
# out of range, wrong type) sends some 8,000 requests, five minutes or more here: it runs when
# API_FUZZ_COVERAGE=1 is set (`API_FUZZ_COVERAGE=1 pytest tests/api/test_schemathesis.py`).
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {
            "coverage": {
                "enabled": os.environ.get("API_FUZZ_COVERAGE") == "1",
                # Methods an operation does not have answer 405 (DRF): not worth a request each.
                "unexpected-methods": [],
            }
        }
    }
)


def _portal_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


schema = schemathesis.openapi.from_dict(_portal_schema(), config=CONFIG)
schema.app = get_wsgi_application()

# Per router prefix, the ids of rows that exist during the running test.
KNOWN_IDS: dict[str, list[int]] = {}


def point_at_a_known_row(case):
    """Three ids in four point at a row that exists (also the coverage phase's id 0, which it
    sends with every body variant); the rest, and every absurd id (negative, huge, not a
    number), are sent as generated."""
    value = (case.path_parameters or {}).get("id")
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    prefix = case.operation.path.removeprefix("/api/v1/").split("/")[0]
    known = KNOWN_IDS.get(prefix)
    if known and isinstance(value, int) and 0 <= value < 10**6 and value % 4 != 2:
        case.path_parameters["id"] = known[value % len(known)]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Like Django's test client: the requests run inside the test's transaction, so the
    handler must not close the database connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def portal_rows(commerce_admin, dipu_grid_worker, assessor):
    """A little of everything, then the ids of each API collection's rows."""
    a_little_of_everything(commerce_admin, dipu_grid_worker, assessor)
    for prefix, viewset, _basename in router.registry:
        KNOWN_IDS[prefix] = list(
            model_of(viewset).objects.order_by("-pk").values_list("pk", flat=True)[:5]
        )
    yield
    KNOWN_IDS.clear()


@pytest.fixture
def admin_headers(commerce_admin, portal_rows):
    _token, key = issue_api_token(user=commerce_admin, name="schemathesis", actor=commerce_admin)
    return {"Authorization": f"Token {key}", "Accept-Language": "zh-hans"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, admin_headers):
    point_at_a_known_row(case)
    case.call_and_validate(
        headers=admin_headers, checks=[not_a_server_error, response_schema_conformance]
    )
