"""Every list filter that names rows (operators, sites, projects, ...) offers — and shows back
as the chosen value — only rows the user may see: `?operator=<another township's id>` must not
print that operator's name on a township officer's page."""

import importlib
import inspect

import django_filters
import pytest
from django.apps import apps
from django.test import RequestFactory

from agencies.models import Township
from anji_recycling.filters import ScopedChoicesMixin

pytestmark = pytest.mark.django_db

MODEL_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def project_filtersets():
    for config in apps.get_app_configs():
        if not config.path.startswith(str(apps.get_app_config("sites").path).rsplit("/", 1)[0]):
            continue
        try:
            module = importlib.import_module(f"{config.name}.filters")
        except ModuleNotFoundError:
            continue
        for _name, klass in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(klass, django_filters.FilterSet)
                and klass.__module__ == module.__name__
                and getattr(klass._meta, "model", None) is not None
            ):
                yield klass


def model_choices(filterset_class, user):
    """(name, queryset, county-wide on purpose) of each filter that names rows, as this user's
    request builds it."""
    request = RequestFactory().get("/")
    request.user = user
    filterset = filterset_class(data={}, request=request, queryset=None)
    for name, filter_ in filterset.filters.items():
        if not isinstance(filter_, MODEL_FILTERS):
            continue
        queryset = filter_.queryset
        if callable(queryset):
            queryset = queryset(request)
        yield name, queryset, name in getattr(filterset, "county_wide_choices", ())


def unscoped_choices(filterset_class, user):
    for name, queryset, county_wide in model_choices(filterset_class, user):
        if county_wide or not hasattr(queryset.model.objects, "visible_to"):
            continue
        offered = queryset.model.objects.offered_to(user)
        if not offered.query.where:
            continue  # the model is offered county-wide to this user (reference data)
        if not queryset.query.where or queryset.exclude(pk__in=offered.values("pk")).exists():
            yield name


def test_the_walk_finds_the_portals_filtersets():
    names = {klass.__name__ for klass in project_filtersets()}
    assert {"SiteFilterSet", "SubsidyFilterSet", "TransferFilterSet"} <= names


def test_no_filter_offers_rows_outside_a_township_officers_scope(dipu_officer):
    offenders = {
        klass.__name__: names
        for klass in project_filtersets()
        if (names := list(unscoped_choices(klass, dipu_officer)))
    }
    assert offenders == {}


def test_another_townships_operator_is_not_named_back_on_the_subsidy_list(
    client, dipu_officer, commerce_admin
):
    from tests.conftest import CHANGSHUO
    from tests.factories import make_operator

    secret = "昌硕筛选越界回收有限公司"
    other = make_operator(actor=commerce_admin, township_code=CHANGSHUO, seed=8811, name=secret)
    client.force_login(dipu_officer)

    page = client.get("/support/subsidies/", {"operator": other.pk})

    assert page.status_code == 200
    assert secret not in page.content.decode()


def test_every_filterset_scopes_its_choices_one_way():
    plain = [k.__name__ for k in project_filtersets() if not issubclass(k, ScopedChoicesMixin)]
    assert plain == []


def test_a_township_officer_is_offered_their_township_alone(dipu_officer):
    """Townships are read by every role, so `visible_to` does not narrow them: the dropdowns of
    a township's lists (patrol tasks, projects, publicity, ...) still offer only its own."""
    offered = {
        f"{klass.__name__}.{name}": set(queryset.values_list("pk", flat=True))
        for klass in project_filtersets()
        for name, queryset, county_wide in model_choices(klass, dipu_officer)
        if queryset.model is Township and not county_wide
    }
    assert "PatrolTaskFilterSet.township" in offered
    assert {key for key, pks in offered.items() if pks != {dipu_officer.township_id}} == set()


def test_the_published_ranking_still_offers_every_township(dipu_officer):
    from assessments.filters import ResultFilterSet

    (queryset,) = [
        q for name, q, _wide in model_choices(ResultFilterSet, dipu_officer) if name == "township"
    ]
    assert queryset.count() == Township.objects.count() > 1
