"""Every write through the API names only rows the page's form would offer the same user: one
mechanism (`anji_recycling.api.relations.FormScopedRelationsMixin`) for every writable
serializer, and a guard that a new writable relation cannot skip it."""

import pytest
from django.test import RequestFactory

from anji_recycling.api.relations import FormScopedRelationsMixin, writable_relations
from anji_recycling.api.urls import router
from sites.models import Site
from tests.conftest import CHANGSHUO
from tests.factories import make_operator, make_site

pytestmark = pytest.mark.django_db

WRITES = {"create", "update", "partial_update"}


def writable_viewsets():
    for prefix, viewset, _basename in router.registry:
        serializer = getattr(viewset, "serializer_class", None)
        if serializer is None or not WRITES & set(dir(viewset)):
            continue
        if any(True for _ in writable_relations(serializer().fields)):
            yield prefix, viewset, serializer


@pytest.mark.parametrize(
    "prefix,serializer",
    [(prefix, serializer) for prefix, _viewset, serializer in writable_viewsets()],
)
def test_every_writable_relation_in_the_api_is_scoped_like_its_form(
    prefix, serializer, commerce_admin
):
    assert issubclass(serializer, FormScopedRelationsMixin), prefix
    request = RequestFactory().post(f"/api/v1/{prefix}/")
    request.user = commerce_admin
    # Raises ImproperlyConfigured for a writable relation that neither the page's form scopes
    # nor Meta.unscoped_relations names.
    fields = serializer(context={"request": request}).fields
    unscoped = set(getattr(serializer.Meta, "unscoped_relations", ()))
    for name, relation in writable_relations(fields):
        if name not in unscoped:
            assert (
                relation.queryset.model is serializer.Meta.model._meta.get_field(name).related_model
            ), name


def test_the_guard_sees_every_writable_relation():
    prefixes = {prefix for prefix, _viewset, _serializer in writable_viewsets()}
    assert {"sites", "operators", "network-projects", "transfers", "subsidies"} <= prefixes


def test_a_transfer_cannot_start_at_another_townships_site(
    api_client, dipu_officer, commerce_admin
):
    other = make_site(actor=commerce_admin, township_code=CHANGSHUO, name="昌硕的点")
    own = make_site(actor=commerce_admin, tier=2, name="递铺中转站")
    api_client.force_authenticate(dipu_officer)

    response = api_client.post(
        "/api/v1/transfers/",
        {"from_site": other.pk, "to_site": own.pk, "weight_kg": "10", "unit_price": "1"},
        format="json",
    )

    assert response.status_code == 400
    assert "from_site" in response.json()


def test_an_out_of_scope_id_is_refused_in_chinese(api_client, dipu_officer, commerce_admin):
    operator = make_operator(actor=commerce_admin, township_code=CHANGSHUO, seed=8802)
    site = make_site(actor=dipu_officer, name="递铺自己的点")
    api_client.force_authenticate(dipu_officer)

    response = api_client.patch(
        f"/api/v1/sites/{site.pk}/", {"operator": operator.pk}, format="json"
    )

    assert response.status_code == 400
    message = response.json()["operator"][0]
    assert "不存在" in message or "无效" in message, message
    assert Site.objects.get(pk=site.pk).operator_id is None


def test_the_county_still_names_any_townships_operator(api_client, commerce_admin):
    operator = make_operator(actor=commerce_admin, township_code=CHANGSHUO, seed=8803)
    site = make_site(actor=commerce_admin, name="县里登记的点")
    api_client.force_authenticate(commerce_admin)

    response = api_client.patch(
        f"/api/v1/sites/{site.pk}/", {"operator": operator.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    assert Site.objects.get(pk=site.pk).operator_id == operator.pk


def test_what_the_page_shows_a_township_officer_as_fixed_the_api_does_not_change(
    api_client, dipu_officer, dipu
):
    from agencies.models import Village

    village = Village.objects.filter(township=dipu, is_active=True).first()
    api_client.force_authenticate(dipu_officer)

    refused = api_client.patch(
        f"/api/v1/villages/{village.pk}/",
        {"code": "330523999999", "is_active": False, "short_name": "简称"},
        format="json",
    )
    unchanged = api_client.patch(
        f"/api/v1/villages/{village.pk}/",
        {"code": village.code, "short_name": "简称"},
        format="json",
    )

    assert refused.status_code == 400
    assert set(refused.json()) == {"code", "is_active"}
    assert "不能修改" in refused.json()["code"][0]
    # The village's own wording is theirs to correct; its code and state are the county's.
    assert unchanged.status_code == 200, unchanged.content
    stored = Village.objects.get(pk=village.pk)
    assert (stored.code, stored.is_active, stored.short_name) == (village.code, True, "简称")
