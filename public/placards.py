"""Printable placards (公示牌) for operating sites: the site's name, number, materials, the
county's complaint line and a QR code of its public page, as a PNG or a PDF page, A5 or A4.

The QR code is drawn by `segno`; the page by Pillow (which also writes the PDF, one raster page
at PRINT_DPI); the text in Noto Sans CJK SC (Debian's fonts-noto-cjk, which the image and the
test machines install). A township's placards are one zip, streamed a placard at a time, so
memory holds one page whatever the township's number of sites."""

import io
import zipfile
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

PRINT_DPI = 200
MM_PER_INCH = 25.4
SIZES_MM = {"a5": (148, 210), "a4": (210, 297)}
FORMATS = {"png": "image/png", "pdf": "application/pdf"}
# Noto Sans CJK: the .ttc's face 2 is Simplified Chinese.
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc", 2),
)
INK = (20, 40, 30)
ACCENT = (0, 110, 60)


def public_url(site_id: int) -> str:
    """The site's public page as a phone reaches it (PORTAL_URL, the portal's address)."""
    return settings.PORTAL_URL.rstrip("/") + reverse("public:site", args=[site_id])


@cache
def _font_file() -> tuple[str, int]:
    for path, index in FONT_CANDIDATES:
        if Path(path).exists():
            return path, index
    raise ImproperlyConfigured(
        "Placards need a CJK font: install Debian's fonts-noto-cjk (scripts/system-deps.sh)."
    )


def _font(size_px: int) -> ImageFont.FreeTypeFont:
    path, index = _font_file()
    return ImageFont.truetype(path, size_px, index=index)


def _px(mm: float) -> int:
    return round(mm / MM_PER_INCH * PRINT_DPI)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Lines of at most `width` pixels, breaking between any two characters (Chinese)."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def render(site: dict, *, size: str = "a5") -> Image.Image:
    """One placard as an image: `site` is a row of public.selectors (name, code, materials)."""
    width_mm, height_mm = SIZES_MM[size]
    width, height = _px(width_mm), _px(height_mm)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    margin = _px(12)
    inner = width - 2 * margin
    unit = width / 1000  # type sizes scale with the page: A4 is A5 enlarged

    draw.rectangle([_px(5), _px(5), width - _px(5), height - _px(5)], outline=ACCENT, width=6)
    y = margin
    title = _font(round(44 * unit))
    for line in _wrap(draw, _("Renewable resources recycling point"), title, inner):
        draw.text((width / 2, y), line, font=title, fill=ACCENT, anchor="ma")
        y += round(title.size * 1.3)
    y += round(20 * unit)
    name = _font(round(64 * unit))
    for line in _wrap(draw, site["name"], name, inner):
        draw.text((width / 2, y), line, font=name, fill=INK, anchor="ma")
        y += round(name.size * 1.25)
    body = _font(round(34 * unit))
    y += round(10 * unit)
    draw.text(
        (width / 2, y),
        _("Site number %(code)s") % {"code": site["code"]},
        font=body,
        fill=INK,
        anchor="ma",
    )
    y += round(body.size * 1.8)
    materials = "、".join(site["materials"]) or "—"
    for line in _wrap(draw, _("Accepts: %(materials)s") % {"materials": materials}, body, inner):
        draw.text((margin, y), line, font=body, fill=INK)
        y += round(body.size * 1.35)
    if site.get("opening_hours"):
        hours = _("Opening hours: %(hours)s") % {"hours": site["opening_hours"]}
        for line in _wrap(draw, hours, body, inner):
            draw.text((margin, y), line, font=body, fill=INK)
            y += round(body.size * 1.35)

    # The QR code: as large as the rest of the page allows, with its quiet zone (4 modules).
    footer = _font(round(34 * unit))
    footer_height = round(footer.size * 4.2)
    room = min(inner, height - margin - footer_height - y - round(20 * unit))
    qr = segno.make(public_url(site["id"]), error="m")
    modules = qr.symbol_size(scale=1, border=4)[0]
    scale = max(room // modules, 2)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    page.paste(code, (round((width - code.width) / 2), y + round(10 * unit)))
    y += code.width + round(20 * unit)

    hint = _font(round(28 * unit))
    draw.text(
        (width / 2, y),
        _("Scan for prices, opening hours and directions"),
        font=hint,
        fill=INK,
        anchor="ma",
    )
    line = _("Complaints and reports: %(phone)s") % {"phone": settings.PUBLIC_COMPLAINT_LINE}
    draw.text((width / 2, height - margin - footer.size * 2.4), line, font=footer, fill=ACCENT,
              anchor="ma")  # fmt: skip
    draw.text(
        (width / 2, height - margin - footer.size),
        _("Anji County Commerce Bureau"),
        font=hint,
        fill=INK,
        anchor="ma",
    )
    return page


def placard_bytes(site: dict, *, size: str = "a5", kind: str = "png") -> bytes:
    page = render(site, size=size)
    buffer = io.BytesIO()
    if kind == "pdf":
        page.save(buffer, "PDF", resolution=PRINT_DPI, title=site["name"])
    else:
        page.save(buffer, "PNG", dpi=(PRINT_DPI, PRINT_DPI))
    return buffer.getvalue()


def file_name(site: dict, kind: str) -> str:
    return f"{site['code']}.{kind}"


class _Chunks(io.RawIOBase):
    """A write-only stream whose writes are collected and handed out by `take`."""

    def __init__(self):
        self.parts: list[bytes] = []

    def writable(self):
        return True

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def streamed_zip(sites: Iterable[dict], *, size: str = "a5", kind: str = "png") -> Iterator[bytes]:
    """A zip of one placard per site, yielded as each placard is added (zipfile writes to an
    unseekable stream with data descriptors)."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for site in sites:
            archive.writestr(file_name(site, kind), placard_bytes(site, size=size, kind=kind))
            yield sink.take()
    yield sink.take()
