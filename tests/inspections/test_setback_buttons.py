"""Moves that send a case back or end it unhandled (不予立案, 回退, 核查不通过) look different from
the main action on the case page (class danger) and ask for confirmation first (data-confirm,
static/js/portal.js), in Chinese; the main action does neither (issue #17)."""

import re

import pytest
from django.urls import reverse

from inspections.choices import Actor, CaseStatus

from .conftest import report
from .test_case_lifecycle import bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(commerce_admin, dipu_officer, urban_officer):
    return {Actor.COMMERCE: commerce_admin, Actor.TOWNSHIP: dipu_officer, Actor.LEAD: urban_officer}


def case_buttons(client, user, case):
    """(label, class, data-confirm or None) of each action button the user is offered."""
    client.force_login(user)
    page = client.get(
        reverse("inspections:case-detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    found = re.findall(
        r'<button type="submit" name="action" value="[^"]+" class="(\w+)"'
        r'(?: data-confirm="([^"]*)")?>([^<]+)</button>',
        page,
    )
    return {label: (css, confirm or None) for css, confirm, label in found}


def test_the_setbacks_look_dangerous_and_ask_first_the_main_action_does_not(
    client, built_up_site, dipu_grid_worker, people
):
    (case,) = report(built_up_site, dipu_grid_worker, "appearance")

    township = case_buttons(client, people[Actor.TOWNSHIP], case)
    assert township["不予立案"] == ("danger", "确定要不予立案吗？"), township
    main = [label for label, (css, _c) in township.items() if css == "primary"]
    assert main and all(township[label][1] is None for label in main), township

    case = bring_to(case, CaseStatus.DISPATCHED, people)
    lead = case_buttons(client, people[Actor.LEAD], case)
    back = lead["回退（不属本部门职责）"]
    assert back == ("danger", "确定要回退（不属本部门职责）吗？"), lead
    assert lead["开始处置"] == ("primary", None), lead
