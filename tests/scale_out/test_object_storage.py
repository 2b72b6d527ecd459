"""Files in the S3 bucket, not on any process's disk: what one web process or worker stores,
another web process serves, through the scoped views only; nothing in the bucket is public."""

import datetime as dt
import io

import pytest
import requests
from django.urls import reverse
from openpyxl import load_workbook

from sites.models import BackgroundJob, Material, Site, SitePhoto
from tests.conftest import CHANGSHUO, DIPU
from tests.factories import make_site, make_user, png_bytes

from .topology import BUCKET, REGION, S3_KEYS, wait_until

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
    # Row 1 is the title, row 2 the header (序号 first), the sites below it.
    header, *rows = load_workbook(io.BytesIO(download.content)).active.iter_rows(
        min_row=2, values_only=True
    )
    assert header[0] == "序号"
    names = [row[2] for row in rows]
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


def bucket_storage(topology) -> dict:
    """The production storage (anji_recycling/settings/base.py) on the topology's bucket."""
    from anji_recycling.settings.base import FILE_STORAGE

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **FILE_STORAGE.get("OPTIONS", {}),
            "bucket_name": BUCKET,
            "endpoint_url": topology.s3_url,
            "access_key": S3_KEYS["AWS_ACCESS_KEY_ID"],
            "secret_key": S3_KEYS["AWS_SECRET_ACCESS_KEY"],
            "region_name": REGION,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


# The files the tests above and test_two_of_everything try against the bucket.
TRIED_ELSEWHERE = {
    "sites.SitePhoto.image",
    "sites.BackgroundJob.input_file",
    "sites.BackgroundJob.result_file",
    "inspections.Evidence.file",
}


def test_the_newer_apps_files_are_stored_in_the_bucket_and_served_by_either_web_process(
    topology, browser, people, settings
):
    """Project photos (uploaded through one web process), report photos, subsidy and
    deduction evidence and publicity photos: in the bucket, served by the other process to the
    township's officer, 404 to another township's, never public."""
    from agencies.models import Township
    from network.models import ProjectPhoto
    from tests.network.conftest import make_project
    from tests.test_media_not_public import SCOPED_FILES, _the_new_apps_files, field_label

    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(topology)}
    commerce = people["admin"]
    own = browser(people["changshuo"])
    own.log_in(0)
    project = make_project(actor=commerce, township=Township.objects.get(code=CHANGSHUO))
    own.get(0, project.get_absolute_url())
    content = png_bytes(colour=(200, 40, 40))
    uploaded = own.post(
        0,
        reverse("network:photo-add", args=[project.pk]),
        data={"caption": "工地"},
        files={"image": ("工地.png", content, "image/png")},
        allow_redirects=False,
    )
    assert uploaded.status_code == 302
    photo = ProjectPhoto.objects.get(project=project)
    files = [(photo.image, reverse("network:photo-file", args=[photo.pk]))]
    files += _the_new_apps_files(commerce, CHANGSHUO)

    # Every file field is tried against the bucket here or in the tests above.
    assert {field_label(stored) for stored, _view in files} | TRIED_ELSEWHERE == set(SCOPED_FILES)
    keys = topology.bucket_keys()
    assert not any(topology.media_root.rglob("*"))  # nothing on a local disk
    other = browser(people["dipu"])
    other.log_in(1)
    for stored, view in files:
        assert stored.name in keys, stored.name
        with stored.open("rb") as handle:
            expected = handle.read()
        for web in (1, 0):
            served = own.get(web, view)
            assert served.status_code == 200, (view, web)
            assert served.content == expected, view
            assert other.get(web, view).status_code == 404, (view, web)
            assert own.get(web, f"/media/{stored.name}").status_code == 404
        assert requests.get(
            f"{topology.s3_url}/{BUCKET}/{stored.name}", timeout=10
        ).status_code == (403)
    assert photo.image.open("rb").read() == content


def test_a_background_market_ledger_is_written_by_a_worker_and_downloaded_from_the_other_web(
    topology, browser, people
):
    from tests.trade.conftest import add_materials, deliver

    admin = people["admin"]
    paper = Material.objects.get(code="paper")
    centre = add_materials(make_site(actor=admin, tier=1, name="县分拣中心"))
    stations = {}
    for township in (DIPU, CHANGSHUO):
        station = add_materials(
            make_site(
                actor=admin,
                tier=2,
                parent=centre,
                township_code=township,
                name=f"中转站{township[-1]}",
            )
        )
        point = add_materials(
            make_site(
                actor=admin,
                tier=3,
                parent=station,
                township_code=township,
                name=f"网点{township[-1]}",
            )
        )
        stations[township] = (station, point)
    for day in (3, 4, 5):  # more than DJANGO_EXPORT_BACKGROUND_ROWS (2): a background job
        station, point = stations[DIPU]
        deliver(
            actor=admin, from_site=point, to_site=station, material=paper, on=dt.date(2026, 3, day)
        )
    station, point = stations[CHANGSHUO]
    deliver(actor=admin, from_site=point, to_site=station, material=paper)
    officer = browser(people["dipu"])
    officer.log_in(0)

    started = officer.get(0, reverse("trade:transfer-export"), allow_redirects=False)

    assert started.status_code == 302
    job = BackgroundJob.objects.get(owner=people["dipu"], kind=BackgroundJob.Kind.TRANSFER_EXPORT)
    assert started.headers["Location"] == reverse("sites:job-status", args=[job.pk])

    def finished():
        job.refresh_from_db()
        return job.state in (BackgroundJob.State.DONE, BackgroundJob.State.FAILED)

    wait_until(finished, timeout=60, what="the ledger export job")
    assert job.state == BackgroundJob.State.DONE, job.message
    assert job.result_file.name in topology.bucket_keys()
    assert not any(topology.media_root.rglob("*"))
    download_url = reverse("sites:job-download", args=[job.pk])
    download = officer.get(1, download_url)
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    cells = {
        value
        for row in load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True)
        for value in row
    }
    assert "网点1" in cells and "网点2" not in cells  # 递铺's transfers only
    other = browser(people["changshuo"])
    other.log_in(1)
    for web in (0, 1):
        assert other.get(web, download_url).status_code == 404
    assert (
        requests.get(f"{topology.s3_url}/{BUCKET}/{job.result_file.name}", timeout=10).status_code
        == 403
    )
