"""Positions in the coordinate systems Chinese map apps use. The portal stores WGS-84
(CGCS2000 agrees within centimetres); 高德 and 腾讯 show GCJ-02, 百度 BD-09. A position copied
from one of them is converted to WGS-84 with prcoords (its iterative inverse, good to a few
centimetres) before it is checked and stored."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import prcoords
from django.db import models
from django.utils.translation import pgettext_lazy

DECIMAL_PLACE = Decimal("0.000001")  # CoordinateField's 6 decimal places (about 0.1 m)


class CoordinateSystem(models.TextChoices):
    # Translators: keep the system's name; WGS-84
    WGS84 = "wgs84", pgettext_lazy("coordinate system", "WGS-84")
    # Translators: GCJ-02（高德、腾讯）
    GCJ02 = "gcj02", pgettext_lazy("coordinate system", "GCJ-02 (Amap, Tencent)")
    # Translators: BD-09（百度）
    BD09 = "bd09", pgettext_lazy("coordinate system", "BD-09 (Baidu)")


# Other names people write for the systems (compared lower-case, without spaces or brackets).
SYSTEM_ALIASES = {
    "wgs84": CoordinateSystem.WGS84,
    "wgs-84": CoordinateSystem.WGS84,
    "cgcs2000": CoordinateSystem.WGS84,
    "gps": CoordinateSystem.WGS84,
    "gcj02": CoordinateSystem.GCJ02,
    "gcj-02": CoordinateSystem.GCJ02,
    "高德": CoordinateSystem.GCJ02,
    "腾讯": CoordinateSystem.GCJ02,
    "火星坐标": CoordinateSystem.GCJ02,
    "bd09": CoordinateSystem.BD09,
    "bd-09": CoordinateSystem.BD09,
    "百度": CoordinateSystem.BD09,
}


def to_wgs84(system: str, latitude: Decimal, longitude: Decimal) -> tuple[Decimal, Decimal]:
    """(latitude, longitude) in WGS-84, to the 6 decimal places the portal stores."""
    if system == CoordinateSystem.WGS84:
        return latitude, longitude
    convert = {
        CoordinateSystem.GCJ02: prcoords.gcj_wgs_bored,
        CoordinateSystem.BD09: prcoords.bd_wgs_bored,
    }[system]
    converted = convert((float(latitude), float(longitude)))
    return (
        Decimal(repr(converted.lat)).quantize(DECIMAL_PLACE, ROUND_HALF_UP),
        Decimal(repr(converted.lon)).quantize(DECIMAL_PLACE, ROUND_HALF_UP),
    )


PAIR_SEPARATORS = re.compile(r"[\s,，;；、]+")


def parse_pair(text: str) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) from a pair copied from a map app: "119.681234,30.638123" (高德,
    百度: longitude first) or "30.638123, 119.681234"; within China the longitude is always the
    larger number. None when the text is not two such numbers."""
    parts = [part for part in PAIR_SEPARATORS.split(text.strip()) if part]
    if len(parts) != 2:
        return None
    try:
        numbers = sorted(Decimal(part) for part in parts)
    except InvalidOperation:
        return None
    latitude, longitude = numbers
    if not all(number.is_finite() for number in numbers):
        return None
    if abs(latitude) > 90 or abs(longitude) > 180:
        return None
    return latitude, longitude
