"""Every uploaded file of the portal (photos, evidence) is stored under a sanitised name:
every FileField whose `upload_to` is a function, walked from the models, keeps the uploader's
name out of other folders and free of odd characters."""

import pytest
from django.apps import apps
from django.db import models

from anji_recycling.uploads import safe_filename
from tests.portal_forms import portal_packages


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("照片 1 (2).JPG", "照片_1_2.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\现场.png", "现场.png"),
        ("..", "file"),
        (".jpg", "file.jpg"),
        ("report.tar.gz", "report_tar.gz"),
        ("<b>照片</b>.png", "b.png"),
        ("现场?!&.webp", "现场.webp"),
        ("x" * 300 + ".jpeg", "x" * 80 + ".jpeg"),
    ],
)
def test_an_uploaded_files_name_is_stored_sanitised(uploaded, stored):
    assert safe_filename(uploaded) == stored


def upload_fields():
    packages = portal_packages()
    for model in apps.get_models():
        if model._meta.app_label not in packages:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and callable(field.upload_to):
                yield model, field


def test_every_portal_upload_is_stored_sanitised_in_its_own_folder():
    fields = list(upload_fields())
    assert len(fields) >= 7  # site, project, report photos; case, deduction, support evidence
    for model, field in fields:
        path = field.generate_filename(model(), "../../危险 名字?.PNG")
        assert ".." not in path, (model, path)
        assert path.endswith("/危险_名字.png"), (model, path)
