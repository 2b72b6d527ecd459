import datetime as dt
from decimal import Decimal

import pytest

from network.models import NetworkProject
from network.services import register_project


def make_project(*, actor, township, village=None, kind="point", **fields):
    values = {
        "name": f"测试项目{NetworkProject.objects.count() + 1}",
        "kind": kind,
        "township": township,
        "village": village,
        "address": f"{township.name}建设路1号",
        "builder": "县供销联社",
        "investment_government": Decimal("100000.00"),
        "investment_enterprise": Decimal("50000.00"),
        "target_year": 2025,
        "planned_on": dt.date(2024, 3, 1),
        **fields,
    }
    return register_project(project=NetworkProject(**values), actor=actor)


@pytest.fixture
def project_maker():
    return make_project
