"""Every import (the site roster, the weighbridge transfers), as 递铺's township officer,
refuses a bad file with a Chinese message and writes nothing: an empty file, text named
.xlsx, a password-protected workbook (Excel encrypts into an OLE container, not a zip), an
empty workbook, and a zip bomb-ish sheet that states two rows and holds thousands."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from sites.models import BackgroundJob, Site
from tests.sites.test_import import site_row, upload, workbook_bytes
from tests.trade.test_weighbridge_import import ticket, weighbridge_bytes
from trade.models import Transfer

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
ROW_LIMIT = 100


def lying_about_its_size(content: bytes) -> bytes:
    """The workbook, its sheets claiming to be two rows long: the reader cannot trust it."""
    target = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', data)
            copy.writestr(item.filename, data)
    return target.getvalue()


def empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


PASSWORD_PROTECTED = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096


def many_sites(network):
    return lying_about_its_size(workbook_bytes(sites=[site_row(n) for n in range(1, 3001)]))


def many_tickets(network):
    return lying_about_its_size(weighbridge_bytes([ticket(n, network) for n in range(1, 3001)]))


BAD_FILES = {
    "empty file": lambda network: b"",
    "text named xlsx": lambda network: "名单，不是工作簿".encode(),
    "password protected": lambda network: PASSWORD_PROTECTED,
    "empty workbook": lambda network: empty_workbook(),
}

IMPORTS = {
    "roster": ("sites:import", many_sites),
    "weighbridge": ("trade:transfer-import", many_tickets),
}


def the_answer(client, url, content, capture):
    """The Chinese message the user is given: on the upload form, or on the job's page."""
    with capture(execute=True):
        response = client.post(reverse(url), {"file": upload(content, "上传.xlsx")})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        errors = response.context["form"].errors
        assert errors, "a bad file was accepted"
        return " ".join(message for field in errors.values() for message in field)
    job = BackgroundJob.objects.latest("pk")
    assert job.state == BackgroundJob.State.FAILED, (job.state, job.result)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert job.message in page.content.decode()
    return job.message


@pytest.mark.parametrize("bad", [*BAD_FILES, "zip bomb-ish"])
@pytest.mark.parametrize("which", IMPORTS)
def test_a_bad_file_is_refused_in_chinese_and_nothing_is_written(
    client, dipu_officer, network, settings, django_capture_on_commit_callbacks, which, bad
):
    settings.IMPORT_MAX_ROWS = ROW_LIMIT
    url, big = IMPORTS[which]
    content = big(network) if bad == "zip bomb-ish" else BAD_FILES[bad](network)
    sites, transfers = Site.objects.count(), Transfer.objects.count()
    client.force_login(dipu_officer)

    with translation.override("zh-hans"):
        message = the_answer(client, url, content, django_capture_on_commit_callbacks)

    assert CJK.search(message), message
    assert not re.search(r"[A-Za-z]{4,}", message.replace("Excel", "").replace("xlsx", "")), message
    if bad == "zip bomb-ish":
        assert str(ROW_LIMIT) in message, message
    assert (Site.objects.count(), Transfer.objects.count()) == (sites, transfers)
