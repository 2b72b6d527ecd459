"""Another township's (another agency's) row answers exactly like a row that does not exist:
every portal URL that takes a row's id (detail, history, edit, action, file), walked from the
URLconf, and every admin URL that takes an object id, GET and POST, with the ids of
`OtherWorld`'s rows the user may not see (`visible_to`) and with an id nobody has. A 403 for
a hidden row would tell that it exists; 403 stays for rows the user sees but may not change."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.test_admin_scoping import OtherWorld, object_urls
from tests.test_pages import (
    ARGUMENT_MODELS,
    DETAIL_PAGES,
    SKIPPED_URLS,
    _view_model,
    named_urls,
)

pytestmark = pytest.mark.django_db

NOBODYS = 10**8

# The row each function view's id names (class-based views name their model).
URL_MODELS = {
    **ARGUMENT_MODELS,
    "agencies:meeting-detail": "agencies.Meeting",
    "assessments:deduction-detail": "assessments.Deduction",
    "assessments:deduction-withdraw": "assessments.Deduction",
    "assessments:evidence-file": "assessments.DeductionEvidence",
    "assessments:objection-decide": "assessments.Objection",
    "assessments:score-detail": "assessments.IndicatorScore",
    "inspections:evidence-file": "inspections.Evidence",
    "inspections:patrol-task-assign": "inspections.PatrolTask",
    "inspections:request-decide": "inspections.CaseRequest",
    "network:photo-file": "network.ProjectPhoto",
    "public-staff:report-detail": "public.PublicReport",
    "sites:photo-file": "sites.SitePhoto",
    "accounts:api-token-revoke": "accounts.ApiToken",
}
# The noun of a URL name (`trade:settlement-pay`) names the row of its detail page.
NOUN_MODELS = {
    "agencies:meeting": "agencies.Meeting",
    "agencies:action-item": "agencies.ActionItem",
    "assessments:period": "assessments.AssessmentPeriod",
    "assessments:scheme": "assessments.AssessmentScheme",
    "inspections:case": "inspections.Case",
    "inspections:inspection": "inspections.Inspection",
    "inspections:joint-action": "inspections.JointAction",
    "network:project": "network.NetworkProject",
    "public-staff:report": "public.PublicReport",
    "sites:site": "sites.Site",
    "sites:operator": "sites.Operator",
    "trade:transfer": "trade.Transfer",
    "trade:settlement": "trade.Settlement",
    "support:subsidy": "support.Subsidy",
    "support:land": "support.LandSupportCase",
    "support:notice": "support.AssociationNotice",
    "support:publicity": "support.PublicityActivity",
}
# The public site's page is the public's (any registered site, to anyone).
PUBLIC = {"public:site"}


def url_model(name):
    if name in URL_MODELS:
        return apps.get_model(URL_MODELS[name])
    model = _view_model(name)
    if model is not None:
        return model
    namespace, _, rest = name.partition(":")
    for noun, label in NOUN_MODELS.items():
        if f"{namespace}:{rest}".startswith(f"{noun}-"):
            return apps.get_model(label)
    return None


def row_urls():
    """Every portal URL whose one argument is a row's id, with the row's model."""
    urls = {}
    for name, args in named_urls().items():
        if len(args) != 1 or name in PUBLIC:
            continue
        if name in SKIPPED_URLS and name not in URL_MODELS:
            continue  # no row id (a year, a token, a user's own job)
        urls[name] = url_model(name)
    return urls


def test_every_url_with_an_id_names_its_model():
    unknown = [name for name, model in row_urls().items() if model is None]
    assert not unknown, f"name the row these URLs take (URL_MODELS): {unknown}"
    assert set(DETAIL_PAGES) - {"assessments:township-detail"} <= set(row_urls())


def answers(client, url):
    return client.get(url).status_code, client.post(url).status_code


@pytest.fixture
def world(commerce_admin):
    """OtherWorld's rows of 昌硕, and a few more whose URLs take their id: the worker's
    notification, a patrol task, a site photo and the finding's photo."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accounts.models import Notification
    from inspections.models import Evidence, Finding, PatrolPlan, PatrolTask
    from sites.models import SitePhoto
    from tests.factories import png_bytes

    world = OtherWorld(commerce_admin)
    today = timezone.localdate()
    rows = [
        Notification.objects.create(
            recipient=world.worker, kind="case_assigned", title="越界通知", dedupe_key="越界"
        ),
        PatrolTask.objects.create(
            plan=PatrolPlan.objects.get(name="昌硕越界巡查计划"),
            site=world.site,
            township=world.site.township,
            period_start=today,
            due_on=today,
            assigned_to=world.worker,
        ),
        SitePhoto.objects.create(
            site=world.site, image=ContentFile(png_bytes(), name="site.png"), caption="越界照片"
        ),
        Evidence.objects.create(
            finding=Finding.objects.get(description="越界消防隐患"),
            file=ContentFile(png_bytes(), name="finding.png"),
        ),
    ]
    for row in rows:
        world.rows.setdefault(type(row), set()).add(row.pk)
    return world


@pytest.fixture
def outsiders(dipu_officer, dipu_grid_worker, market_officer, coop_staff):
    return [dipu_officer, dipu_grid_worker, market_officer, coop_staff]


# Rows without `visible_to` of their own: seen with the row they belong to.
SEEN_WITH = {"sites.SitePhoto": "site", "inspections.Evidence": "finding__inspection"}


def hidden_rows(world, user):
    """The world's rows `user` may not see, by model."""
    hidden = world.out_of_scope(user)
    for label, parent in SEEN_WITH.items():
        model = apps.get_model(label)
        parent_model = model._meta.get_field(parent.split("__")[0]).related_model
        for step in parent.split("__")[1:]:
            parent_model = parent_model._meta.get_field(step).related_model
        visible = parent_model.objects.visible_to(user)
        seen = model.objects.filter(**{f"{parent}__in": visible}).values_list("pk", flat=True)
        hidden[model] = hidden.get(model, set()) - set(seen)
    return hidden


def test_a_hidden_rows_portal_urls_answer_like_a_missing_rows(client, world, outsiders):
    leaks, asked = [], 0
    for user in outsiders:
        hidden = hidden_rows(world, user)
        client.force_login(user)
        for name, model in row_urls().items():
            if not hidden.get(model):
                continue
            pk = min(hidden[model])
            row = answers(client, reverse(name, args=[pk]))
            nobodys = answers(client, reverse(name, args=[NOBODYS]))
            asked += 1
            if row != nobodys:
                leaks.append((user.get_role_display(), name, row, nobodys))
    assert asked > 60  # real rows at real URLs
    assert not leaks, leaks


def test_a_hidden_rows_admin_urls_answer_like_a_missing_rows(client, world, outsiders):
    leaks, asked = [], 0
    for user in outsiders:
        client.force_login(user)
        for model, pks in hidden_rows(world, user).items():
            if not pks or model not in admin.site._registry:
                continue
            pk = min(pks)
            for url in object_urls(model, pk):
                nobodys = url.replace(f"/{pk}/", f"/{NOBODYS}/", 1)
                asked += 1
                if answers(client, url) != answers(client, nobodys):
                    leaks.append((user.get_role_display(), url))
    assert asked > 100
    assert not leaks, leaks


def test_a_township_officer_sees_403_only_for_a_row_they_see(client, commerce_admin, dipu_officer):
    """The commerce bureau's own rows county-wide: 递铺's officer reads the agency but may not
    change it (403); another township's site is not found (404)."""
    from agencies.models import Agency
    from tests.conftest import CHANGSHUO
    from tests.factories import make_site

    other = make_site(actor=commerce_admin, township_code=CHANGSHUO)
    client.force_login(dipu_officer)
    agency = Agency.objects.get(code="commerce")
    assert client.get(reverse("agencies:agency-update", args=[agency.pk])).status_code == 403
    page = client.get(reverse("sites:site-update", args=[other.pk]))
    assert page.status_code == 404
    assert "页面不存在" in page.content.decode()
