"""Under the local (demo) settings, DEBUG on, uploaded files are not served from MEDIA_URL:
only the scoped views stream them, to users who may see the record."""

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse

from sites.models import SitePhoto
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_site, make_user, png_bytes


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
