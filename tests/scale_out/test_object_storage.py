"""Files in the S3 bucket, not on any process's disk: what one web process or worker stores,
another web process serves, through the scoped views only; nothing in the bucket is public."""

import io

import pytest
import requests
from django.urls import reverse
from openpyxl import load_workbook

from sites.models import BackgroundJob, Site, SitePhoto
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_site, make_user, png_bytes

from .topology import BUCKET, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def people(transactional_portal_data):
    admin = make_user("commerce_admin", agency_code="commerce")
    return {
        "admin": admin,
        "dipu": make_user("township_officer", township_code=DIPU),
        "changshuo": make_user("township_officer", township_code=CHANGSHUO),
    }


def test_a_photo_uploaded_on_one_web_process_is_served_by_the_other_from_the_bucket(
    topology, browser, people
):
    site = make_site(actor=people["admin"])
    content = png_bytes(colour=(10, 120, 60))
    officer = browser(people["dipu"])
    officer.log_in(0)
    officer.get(0, site.get_absolute_url())

    response = officer.post(
        0,
        reverse("sites:site-photo", args=[site.pk]),
        data={"caption": "门头"},
        files={"image": ("门头.png", content, "image/png")},
        allow_redirects=False,
    )

    assert response.status_code == 302
    photo = SitePhoto.objects.get(site=site)
    key = photo.image.name
    assert key.startswith(f"sites/{site.pk}/")
    assert key in topology.bucket_keys()
    assert not any(topology.media_root.rglob("*"))  # nothing on a local disk
    served = officer.get(1, photo.get_absolute_url())
    assert served.status_code == 200
    assert served.content == content
    assert served.headers["Content-Type"] == "image/png"

    # Another township's officer: not found, on either process; MEDIA_URL serves nothing.
    other = browser(people["changshuo"])
    other.log_in(1)
    for web in (0, 1):
        assert other.get(web, photo.get_absolute_url()).status_code == 404
        assert officer.get(web, f"/media/{key}").status_code == 404

    # The object is private: no public grant, and an unsigned request is refused.
    grants = topology.s3().get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    assert requests.get(f"{topology.s3_url}/{BUCKET}/{key}", timeout=10).status_code == 403


def test_an_export_written_by_a_worker_is_downloaded_from_the_other_web_process(
    topology, browser, people
):
    for seed in range(3):  # more than DJANGO_EXPORT_BACKGROUND_ROWS (2): a background job
        make_site(actor=people["admin"], name=f"后台导出测试点{seed}")
    make_site(actor=people["admin"], township_code=CHANGSHUO, name="昌硕的点")
    officer = browser(people["dipu"])
    officer.log_in(1)
    before = topology.task_totals()

    started = officer.get(0, reverse("sites:site-export"), allow_redirects=False)

    assert started.status_code == 302
    job = BackgroundJob.objects.get(owner=people["dipu"])
    assert started.headers["Location"] == reverse("sites:job-status", args=[job.pk])

    def finished():
        job.refresh_from_db()
        return job.state in (BackgroundJob.State.DONE, BackgroundJob.State.FAILED)

    wait_until(finished, timeout=60, what="the export job")
    assert job.state == BackgroundJob.State.DONE, job.message
    assert job.result_file.name in topology.bucket_keys()
    ran_it = [
        worker
        for worker, totals in topology.task_totals().items()
        if totals.get("sites.tasks.export_roster", 0)
        > before.get(worker, {}).get("sites.tasks.export_roster", 0)
    ]
    assert len(ran_it) == 1  # one of the two workers wrote it, once

    status = officer.get(1, reverse("sites:job-status", args=[job.pk]))
    download_url = reverse("sites:job-download", args=[job.pk])
    assert download_url in status.text
    download = officer.get(1, download_url)
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    names = [
        row[1]
        for row in load_workbook(io.BytesIO(download.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert sorted(name for name in names if name) == [f"后台导出测试点{seed}" for seed in range(3)]

    other = browser(people["changshuo"])
    other.log_in(0)
    for web in (0, 1):
        assert other.get(web, download_url).status_code == 404
        assert other.get(web, reverse("sites:job-status", args=[job.pk])).status_code == 404


def test_a_workbook_uploaded_on_one_web_process_is_imported_by_a_worker_from_the_bucket(
    topology, browser, people
):
    from tests.sites.test_import import site_row, workbook_bytes

    content = workbook_bytes(sites=[site_row(1, name="对象存储导入测试点")])
    officer = browser(people["dipu"])
    officer.log_in(0)
    officer.get(0, reverse("sites:import"))

    checked = officer.post(
        0,
        reverse("sites:import"),
        files={"file": ("花名册.xlsx", content, "application/octet-stream")},
        allow_redirects=False,
    )

    assert checked.status_code == 302, checked.text[:3000]
    job = BackgroundJob.objects.get(owner=people["dipu"])
    assert job.input_file.name in topology.bucket_keys()

    def checked_by_a_worker():
        job.refresh_from_db()
        return job.result.get("stage") == "checked"

    wait_until(checked_by_a_worker, timeout=60, what="the check of the import")
    review = officer.get(1, reverse("sites:import-review", args=[job.pk]))
    assert review.status_code == 200
    confirmed = officer.post(
        1, reverse("sites:import-review", args=[job.pk]), allow_redirects=False
    )
    assert confirmed.status_code == 302

    def finished():
        job.refresh_from_db()
        return job.state in (BackgroundJob.State.DONE, BackgroundJob.State.FAILED)

    wait_until(finished, timeout=60, what="the import job")
    assert job.state == BackgroundJob.State.DONE, job.message
    assert Site.objects.filter(name="对象存储导入测试点", township__code=DIPU).exists()
    # The marked copy is made from the stored workbook, by the other process.
    marked = officer.get(0, reverse("sites:import-marked", args=[job.pk]))
    assert marked.status_code == 200
    assert load_workbook(io.BytesIO(marked.content)).sheetnames
    other = browser(people["changshuo"])
    other.log_in(1)
    assert other.get(1, reverse("sites:import-marked", args=[job.pk])).status_code == 404
