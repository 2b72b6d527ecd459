"""Change histories read as the forms do: the field's verbose name and the value's display
(the status's label, the related row's name, 是/否), on the portal's history pages and the
admin's, in a fixed number of queries."""

import pytest
from django.urls import reverse

from agencies import services as agency_services
from agencies.models import Agency, DutyRule
from sites.services import change_site_status
from tests.factories import make_operator, make_site

pytestmark = pytest.mark.django_db


def test_a_site_status_change_shows_the_status_labels_not_the_stored_values(client, dipu_officer):
    site = make_site(actor=dipu_officer, status="operating")
    change_site_status(site=site, to="closed", actor=dipu_officer, reason="经营者歇业")
    client.force_login(dipu_officer)

    page = client.get(reverse("sites:site-history", args=[site.pk])).content.decode()

    assert "状态" in page
    assert "运营中 → 已关闭" in page
    assert "operating" not in page
    assert "closed" not in page.replace("closed_", "")


def test_a_foreign_key_change_shows_the_related_row_and_a_boolean_shows_yes_or_no(
    client, commerce_admin
):
    rule = DutyRule.objects.get(category__code="fire_hazard")
    police = Agency.objects.get(code="police")
    before = rule.lead_agency
    rule.lead_agency = police
    rule.is_active = False
    agency_services.save_duty_rule(rule=rule, actor=commerce_admin, reason="调整")
    client.force_login(commerce_admin)

    page = client.get(reverse("agencies:dutyrule-history", args=[rule.pk])).content.decode()

    assert f"{before} → {police}" in page
    assert "是 → 否" in page
    assert "lead_agency" not in page


def test_the_admin_history_list_uses_the_same_words(client, commerce_admin):
    operator = make_operator(actor=commerce_admin, seed=11)
    site = make_site(actor=commerce_admin, status="operating", operator=operator)
    change_site_status(site=site, to="rectifying", actor=commerce_admin, reason="整改")
    client.force_login(commerce_admin)

    page = client.get(reverse("admin:sites_site_history", args=[site.pk])).content.decode()

    assert "运营中" in page and "整改中" in page
    assert "operating" not in page


def test_the_history_page_runs_a_fixed_number_of_queries(
    client, dipu_officer, django_assert_max_num_queries
):
    site = make_site(actor=dipu_officer, status="operating")
    operators = [make_operator(actor=dipu_officer, seed=20 + n) for n in range(6)]
    for operator in operators:
        site.operator = operator
        site.save()
    client.force_login(dipu_officer)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("sites:site-history", args=[site.pk]))

    page = response.content.decode()
    assert all(operator.name in page for operator in operators)
