import pytest
from django.core.cache import cache
from django.db import connections
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.roles import group_name
from agencies.models import Township, Village
from agencies.reference import load_reference_data
from anji_recycling.settings.base import client_ip_settings

from .factories import make_user

DIPU = "330523001"  # 递铺街道
CHANGSHUO = "330523002"  # 昌硕街道


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds Anji's real reference data; tests roll back their changes."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no API throttle counts left by earlier tests."""
    cache.clear()


# The tests count days as chinese-calendar 1.11 knows them (2004–2026): 2027 is the year nobody
# has entered yet. A newer chinese-calendar that has learned 2027 must not turn those tests into
# tests of a known year (or make them fail for the wrong reason).
LIBRARY_LAST_YEAR = 2026


@pytest.fixture(autouse=True)
def library_knows_up_to_2026(monkeypatch):
    from agencies import workdays

    knows = workdays.library_knows
    monkeypatch.setattr(
        workdays, "library_knows", lambda year: year <= LIBRARY_LAST_YEAR and knows(year)
    )


@pytest.fixture
def behind_one_proxy(settings):
    """Production's client-address settings (AXES_PROXY_COUNT=1, checked against production
    itself in tests/test_entry_points.py); requests as in tests/proxy.py."""
    for name, value in client_ip_settings(1).items():
        setattr(settings, name, value)
    return settings


def restore_migrated_rows():
    """The rows the migrations created, from the copy Django serialised with the test database
    (kept only when a test asks for serialized rollback)."""
    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="session")
def restore_portal_data_after_flush(django_db_setup, django_db_blocker):
    """Transactional tests (a live server, a real Celery worker) are flushed afterwards, which
    wipes what the migrations put in (role groups, materials, the checklist, ...) and the
    reference data. They are marked `django_db(transaction=True, serialized_rollback=True)`, so
    Django restores the migrations' rows before each; `transactional_portal_data` loads the
    reference data again. At the end of the session both are put back once more, so a database
    kept with --reuse-db is whole for the next run."""
    yield
    with django_db_blocker.unblock():
        from django.contrib.auth.models import Group

        if not Group.objects.filter(name=group_name("leader")).exists():
            restore_migrated_rows()
        load_reference_data()


@pytest.fixture
def transactional_portal_data(restore_portal_data_after_flush, transactional_db):
    """Anji's reference data inside a transactional test."""
    load_reference_data()


@pytest.fixture
def commerce_admin(db):
    return make_user(Role.COMMERCE_ADMIN, agency_code="commerce")


@pytest.fixture
def dipu_officer(db):
    return make_user(Role.TOWNSHIP_OFFICER, township_code=DIPU)


@pytest.fixture
def dipu_grid_worker(db):
    return make_user(Role.GRID_WORKER, township_code=DIPU)


@pytest.fixture
def market_officer(db):
    return make_user(Role.AGENCY_OFFICER, agency_code="market")


@pytest.fixture
def assessor(db):
    return make_user(Role.ASSESSOR, agency_code="supervision")


@pytest.fixture
def leader(db):
    return make_user(Role.LEADER)


@pytest.fixture
def governance_staff(db):
    return make_user(Role.GOVERNANCE_STAFF)


@pytest.fixture
def coop_staff(db):
    return make_user(Role.COOP_STAFF)


@pytest.fixture
def association(db):
    return make_user(Role.ASSOCIATION)


@pytest.fixture
def users_by_role(
    commerce_admin,
    dipu_officer,
    dipu_grid_worker,
    market_officer,
    assessor,
    leader,
    governance_staff,
    coop_staff,
    association,
):
    return {
        Role.COMMERCE_ADMIN: commerce_admin,
        Role.TOWNSHIP_OFFICER: dipu_officer,
        Role.GRID_WORKER: dipu_grid_worker,
        Role.AGENCY_OFFICER: market_officer,
        Role.ASSESSOR: assessor,
        Role.LEADER: leader,
        Role.GOVERNANCE_STAFF: governance_staff,
        Role.COOP_STAFF: coop_staff,
        Role.ASSOCIATION: association,
    }


@pytest.fixture
def dipu(db):
    return Township.objects.get(code=DIPU)


@pytest.fixture
def changshuo(db):
    return Township.objects.get(code=CHANGSHUO)


@pytest.fixture
def dipu_village(dipu):
    return Village.objects.filter(township=dipu, is_active=True).first()


@pytest.fixture
def changshuo_village(changshuo):
    return Village.objects.filter(township=changshuo, is_active=True).first()


@pytest.fixture
def api_client():
    return APIClient()
