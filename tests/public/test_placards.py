"""Placards (公示牌): the commerce bureau downloads one site's (PNG or PDF, A5 or A4) or a
township's zip; each placard's QR code decodes (zxing-cpp) to the site's public page."""

import io
import zipfile

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from public import placards
from sites.models import Material
from tests.factories import make_site

pytestmark = pytest.mark.django_db


def _decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("size", "pixels"), [("a5", (1165, 1654)), ("a4", (1654, 2339))])
def test_a_sites_png_placard_carries_a_qr_code_of_its_public_page(
    commerce_admin, settings, size, pixels
):
    settings.PORTAL_URL = "https://recycling.anji.example"
    site = make_site(actor=commerce_admin, name="长乐社区回收点")
    site.materials.set(Material.objects.filter(code="paper"))
    response = _client(commerce_admin).get(
        reverse("public-staff:placard-site", args=[site.pk]), {"size": size, "format": "png"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert f"{site.code}.png" in response["Content-Disposition"]
    image = Image.open(io.BytesIO(response.content))
    assert image.size == pixels  # 200 dpi
    assert _decoded(image) == [f"https://recycling.anji.example/public/sites/{site.pk}/"]


def test_a_pdf_placard_is_one_a5_page(commerce_admin):
    site = make_site(actor=commerce_admin)
    response = _client(commerce_admin).get(
        reverse("public-staff:placard-site", args=[site.pk]), {"format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"/MediaBox [ 0 0 419.4 595.44 ]" in response.content  # A5 in points


def test_a_townships_zip_has_one_placard_per_operating_site(commerce_admin):
    sites = [make_site(actor=commerce_admin, name=f"网点{n}") for n in range(3)]
    make_site(actor=commerce_admin, status="planned", name="规划中网点")
    elsewhere = make_site(actor=commerce_admin, township_code="330523002")
    url = reverse("public-staff:placard-township", args=[sites[0].township.code])
    response = _client(commerce_admin).get(url)
    assert response.status_code == 200 and response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(f"{site.code}.png" for site in sites)
    assert f"{elsewhere.code}.png" not in archive.namelist()
    for site in sites:
        image = Image.open(io.BytesIO(archive.read(f"{site.code}.png")))
        assert _decoded(image) == [placards.public_url(site.pk)]


def test_the_placard_reads_the_sites_name_number_and_materials(commerce_admin, monkeypatch):
    drawn = []
    monkeypatch.setattr(
        placards.ImageDraw.ImageDraw,
        "text",
        lambda self, xy, text, **kwargs: drawn.append(text),
    )
    site = {
        "id": 1,
        "code": "330523001-3-0009",
        "name": "长乐社区回收点",
        "materials": ["废纸", "废塑料"],
        "opening_hours": "每天 8:00–17:00",
    }
    placards.render(site)
    text = "".join(drawn)
    for part in ["长乐社区回收点", "330523001-3-0009", "废纸、废塑料", "每天 8:00–17:00", "12345"]:
        assert part in text


def test_only_the_commerce_bureau_prints_placards(dipu_officer, commerce_admin):
    site = make_site(actor=commerce_admin)
    client = _client(dipu_officer)
    assert client.get(reverse("public-staff:placard-index")).status_code == 403
    assert client.get(reverse("public-staff:placard-site", args=[site.pk])).status_code == 403
    admin = _client(commerce_admin)
    page = admin.get(reverse("public-staff:placard-index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "公示牌" in page.content.decode()
    found = admin.get(reverse("public-staff:placard-index"), {"code": site.code, "size": "a4"})
    assert found.status_code == 302 and "size=a4" in found["Location"]
    missing = admin.get(reverse("public-staff:placard-index"), {"code": "nope"})
    assert "没有运营中的站点" in missing.content.decode()
    bad = admin.get(reverse("public-staff:placard-site", args=[site.pk]), {"size": "a3"})
    assert bad.status_code == 404
