import pytest
from django.conf import settings
from django.db import connection

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
    yield running
    running.stop()


@pytest.fixture
def browser(topology):
    """`browser(user)`: a logged-out browser for a user of the test (password PASSWORD)."""

    def open_as(user) -> PortalUser:
        return PortalUser(topology, user.username, PASSWORD)

    return open_as
