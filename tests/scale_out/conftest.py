import time

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.test import TransactionTestCase

from tests.factories import PASSWORD

from .topology import PortalUser, Topology


def database_url() -> str:
    """The test database, as the processes of the topology reach it."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="package")
def topology(django_db_setup, tmp_path_factory):
    """Two web processes, two workers, one beat and an S3 server, for the tests of this
    package only (their sweeps must not meet other tests' data)."""
    running = Topology(
        database_url=database_url(),
        redis_url=settings.CELERY_BROKER_URL,
        workdir=tmp_path_factory.mktemp("topology"),
    ).start()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            TransactionTestCase,
            "_fixture_teardown",
            flush_despite_sweeps(TransactionTestCase._fixture_teardown),
        )
        yield running
    running.stop()


def flush_despite_sweeps(fixture_teardown, attempts: int = 5):
    """The topology's beat starts sweeps every few seconds, and a worker's sweep can hold a row
    lock that the test's TRUNCATE needs while waiting for one the TRUNCATE holds: PostgreSQL
    then aborts one of the two as a deadlock. When it aborts the flush (rolled back whole), the
    next test would start on this test's rows; flush again instead, as a developer would."""

    def teardown(test_case):
        for attempt in range(1, attempts + 1):
            try:
                fixture_teardown(test_case)
            except CommandError as error:
                if attempt == attempts or not isinstance(error.__cause__, DatabaseError):
                    raise
                time.sleep(0.5 * attempt)
            else:
                break

    return teardown


@pytest.fixture
def browser(topology):
    """`browser(user)`: a logged-out browser for a user of the test (password PASSWORD)."""

    def open_as(user) -> PortalUser:
        return PortalUser(topology, user.username, PASSWORD)

    return open_as
