"""Production reads its file storage from the environment and keeps no process-local state:
the bucket when AWS_STORAGE_BUCKET_NAME is set (private, signed, never overwriting), the disk
otherwise; one cache for every process."""

import json
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sites.services import add_site_photo
from tests.factories import make_site, png_bytes

from .scale_out.topology import REPO

SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'storage': s.STORAGES['default'], 'caches': s.CACHES, "
    "'sessions': s.SESSION_ENGINE, 'axes': s.AXES_HANDLER}, default=str))"
)


def production_settings(**env) -> dict:
    base = {
        "DJANGO_SETTINGS_MODULE": "anji_recycling.settings.production",
        "DJANGO_SECRET_KEY": "settings-test-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "recycling.example.gov.cn",
        "PATH": "/usr/bin:/bin",
    }
    shown = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        cwd=REPO,
        env={**base, **env},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(shown.stdout.strip().splitlines()[-1])


def test_with_a_bucket_files_go_to_a_private_s3_bucket_and_nothing_is_process_local():
    shown = production_settings(
        AWS_STORAGE_BUCKET_NAME="anji-recycling",
        AWS_S3_ENDPOINT_URL="http://minio.internal:9000",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    storage = shown["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "anji-recycling"
    assert options["endpoint_url"] == "http://minio.internal:9000"
    assert options["addressing_style"] == "path"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] <= 600
    assert options["file_overwrite"] is False
    assert "locmem" not in shown["caches"]["default"]["BACKEND"]
    assert shown["sessions"] == "django.contrib.sessions.backends.db"
    assert shown["axes"] == "axes.handlers.database.AxesDatabaseHandler"


def test_without_a_bucket_files_go_to_the_local_disk():
    assert production_settings()["storage"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


@pytest.mark.django_db
def test_the_admin_links_a_site_photo_to_the_scoped_view_not_to_the_storage(client, commerce_admin):
    site = make_site(actor=commerce_admin)
    photo = add_site_photo(
        site=site,
        image=SimpleUploadedFile("门头.png", png_bytes(), content_type="image/png"),
        actor=commerce_admin,
    )
    client.force_login(commerce_admin)

    page = client.get(reverse("admin:sites_site_change", args=[site.pk])).content.decode()

    assert f'href="{photo.get_absolute_url()}"' in page
    assert "/media/" not in page
