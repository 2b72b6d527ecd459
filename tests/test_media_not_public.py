"""Under the local (demo) settings, DEBUG on, uploaded files are not served from MEDIA_URL:
only the scoped views stream them, to users who may see the record."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import clear_url_caches, reverse

from sites.models import SitePhoto
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_site, make_user, png_bytes

# Every file field of the portal's models and the scoped view that serves its files (never
# MEDIA_URL, never the bucket directly). A new FileField or ImageField fails
# test_every_file_field_is_served_by_a_scoped_view until it is listed here, and then
# tests/scale_out/test_object_storage.py until it is tried against the bucket there.
SCOPED_FILES = {
    "sites.SitePhoto.image": "sites:photo-file",
    "sites.BackgroundJob.input_file": "sites:import-marked",
    "sites.BackgroundJob.result_file": "sites:job-download",
    "inspections.Evidence.file": "inspections:evidence-file",
    "network.ProjectPhoto.image": "network:photo-file",
    "public.PublicReportPhoto.image": "public-staff:report-photo",
    "support.Subsidy.evidence": "support:subsidy-evidence",
    "support.PublicityActivity.photo": "support:publicity-photo",
    "assessments.DeductionEvidence.file": "assessments:evidence-file",
}


def field_label(stored) -> str:
    """'app.Model.field' of a stored file (a FieldFile)."""
    return f"{stored.instance._meta.label}.{stored.field.name}"


def test_every_file_field_is_served_by_a_scoped_view():
    fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        # The portal's own apps (top-level folders of the repository), not the installed ones.
        if Path(model._meta.app_config.path).parent == Path(settings.BASE_DIR)
        # django-simple-history's copies keep only the name of the live row's file.
        and not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert fields == set(SCOPED_FILES)
    for view in SCOPED_FILES.values():
        assert reverse(view, args=[1])


@pytest.fixture
def debug_urls(settings, tmp_path):
    """The URLconf as `make demo` builds it (DEBUG on), files on the local disk."""
    import anji_recycling.urls

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    importlib.reload(anji_recycling.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(anji_recycling.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_an_uploaded_photo_is_not_public_under_debug_only_the_scoped_view_serves_it(
    client, debug_urls, tmp_path
):
    officer = make_user("township_officer", township_code=DIPU)
    other = make_user("township_officer", township_code=CHANGSHUO)
    site = make_site(actor=officer)
    content = png_bytes()
    client.force_login(officer)
    client.post(
        reverse("sites:site-photo", args=[site.pk]),
        {"image": SimpleUploadedFile("门头.png", content, content_type="image/png")},
    )
    photo = SitePhoto.objects.get(site=site)
    assert (tmp_path / photo.image.name).read_bytes() == content  # really on the disk

    assert client.get(f"/media/{photo.image.name}").status_code == 404

    response = client.get(photo.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Cache-Control"] == "private, max-age=3600"

    client.force_login(other)
    assert client.get(photo.get_absolute_url()).status_code == 404
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def _the_new_apps_files(commerce, township):
    """A file of each app added later, in `township`: a project photo, a resident's report
    photo, a subsidy's evidence, a publicity photo and a deduction's evidence; (file, its
    scoped view) each."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from accounts.choices import Role
    from agencies.models import Township
    from assessments.choices import IndicatorKind
    from assessments.services import record_deduction
    from network.services import add_project_photo
    from public.models import PublicReportPhoto
    from support.models import PublicityActivity
    from support.services import record_publicity
    from tests.api.rows import open_first_quarter
    from tests.factories import make_operator, make_subsidy
    from tests.network.conftest import make_project
    from tests.test_pages import _public_report

    def image(name):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    place = Township.objects.get(code=township)
    project = make_project(actor=commerce, township=place)
    project_photo = add_project_photo(project=project, image=image("工地.png"), actor=commerce)
    report = _public_report(place, photos=[image("举报.png")])
    report_photo = PublicReportPhoto.objects.get(report=report)
    operator = make_operator(actor=commerce, township_code=township, seed=3501)
    subsidy = make_subsidy(
        actor=commerce,
        operator=operator,
        evidence=SimpleUploadedFile("批复.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    activity = record_publicity(
        activity=PublicityActivity(
            held_on=timezone.localdate() - dt.timedelta(days=1),
            township=place,
            form="offline",
            topic="垃圾分类宣传",
            audience="村民",
            photo=image("宣传.png"),
        ),
        actor=commerce,
    )
    period = open_first_quarter(commerce)
    deduction = record_deduction(
        period=period,
        township=place,
        indicator=period.scheme.indicators.get(kind=IndicatorKind.ASSESSOR_DEDUCTIONS),
        points=Decimal("1.0"),
        reason="台账不全",
        actor=make_user(Role.ASSESSOR, agency_code="supervision"),
        files=[
            SimpleUploadedFile("检查记录.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        ],
    )
    evidence = deduction.evidence.get()
    return [
        (project_photo.image, reverse("network:photo-file", args=[project_photo.pk])),
        (report_photo.image, reverse("public-staff:report-photo", args=[report_photo.pk])),
        (subsidy.evidence, reverse("support:subsidy-evidence", args=[subsidy.pk])),
        (activity.photo, reverse("support:publicity-photo", args=[activity.pk])),
        (evidence.file, reverse("assessments:evidence-file", args=[evidence.pk])),
    ]


@pytest.mark.django_db
def test_the_new_apps_files_are_served_only_by_their_scoped_views(client, debug_urls, tmp_path):
    commerce = make_user("commerce_admin", agency_code="commerce")
    own = make_user("township_officer", township_code=CHANGSHUO)
    other = make_user("township_officer", township_code=DIPU)
    files = _the_new_apps_files(commerce, CHANGSHUO)

    for stored, view in files:
        assert (tmp_path / stored.name).exists(), stored.name  # really on the disk
        client.force_login(own)
        assert client.get(view).status_code == 200, view
        assert client.get(f"/media/{stored.name}").status_code == 404
        client.force_login(other)
        assert client.get(view).status_code in (403, 404), view
        assert client.get(f"/media/{stored.name}").status_code == 404
        client.logout()
        assert client.get(view).status_code == 302, view  # to the login page
