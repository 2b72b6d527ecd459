"""Validation shared by forms, API, admin and Excel import: one place for each rule."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, S, V, Z).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_PATTERN = re.compile(rf"^[{CREDIT_CODE_ALPHABET}]{{18}}$")

# Mainland mobile numbers, and landlines with an area code (0572 is Huzhou's).
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_PATTERN = re.compile(r"^0\d{2,3}-?\d{7,8}$")

# Anji County's extent, with a small margin (WGS-84 / CGCS2000).
ANJI_LATITUDE = (Decimal("30.2"), Decimal("30.9"))
ANJI_LONGITUDE = (Decimal("119.2"), Decimal("119.9"))


def credit_code_check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if not CREDIT_CODE_PATTERN.match(code):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters: digits and capital letters "
                "other than I, O, S, V and Z."
            ),
            code="invalid_credit_code",
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The unified social credit code %(code)s fails its check character (GB 32100)."),
            code="credit_code_check",
            params={"code": code},
        )


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "").removeprefix("+86")


def validate_phone(value: str) -> None:
    phone = normalise_phone(value)
    if MOBILE_PATTERN.match(phone) or LANDLINE_PATTERN.match(phone):
        return
    raise ValidationError(
        _(
            "%(phone)s is not a mainland phone number: use an 11-digit mobile number or a "
            "landline with its area code, such as 0572-5123456."
        ),
        code="invalid_phone",
        params={"phone": value},
    )


def in_anji(latitude, longitude) -> bool:
    return (
        ANJI_LATITUDE[0] <= Decimal(str(latitude)) <= ANJI_LATITUDE[1]
        and ANJI_LONGITUDE[0] <= Decimal(str(longitude)) <= ANJI_LONGITUDE[1]
    )


def validate_position(latitude, longitude) -> None:
    """Both or neither coordinate, and inside Anji County."""
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ValidationError(
            _("Give both latitude and longitude, or neither."), code="half_position"
        )
    if not in_anji(latitude, longitude):
        raise ValidationError(
            _(
                "The position %(lat)s, %(lng)s lies outside Anji County (latitude 30.2–30.9, "
                "longitude 119.2–119.9, WGS-84)."
            ),
            code="outside_anji",
            params={"lat": latitude, "lng": longitude},
        )


IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024


def validate_image_upload(upload) -> None:
    """A photo must be a JPEG, PNG or WebP image of at most 10 MB."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 10 MB."),
            code="image_too_large",
            params={"name": upload.name},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(
            _("%(name)s is not an image."), code="not_an_image", params={"name": upload.name}
        ) from error
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("%(name)s is a %(format)s file: use JPEG, PNG or WebP."),
            code="image_format",
            params={"name": upload.name, "format": image_format},
        )


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def validate_attachment(upload) -> None:
    """Evidence is a photo (as validate_image_upload) or a PDF document of at most 20 MB."""
    if not upload.name.lower().endswith(".pdf"):
        validate_image_upload(upload)
        return
    upload.seek(0)
    header = upload.read(5)
    upload.seek(0)
    if header != b"%PDF-":
        raise ValidationError(
            _("%(name)s is not a PDF document."), code="not_a_pdf", params={"name": upload.name}
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 20 MB."),
            code="document_too_large",
            params={"name": upload.name},
        )


# The years a portal moment (a meeting, an inspection) may fall in: outside them a date is a
# typing slip, and before 1901 Asia/Shanghai has no whole-minute offset to write it with.
PLAUSIBLE_YEARS = range(2000, 2100)


def validate_plausible_moment(value) -> None:
    if value is not None and value.year not in PLAUSIBLE_YEARS:
        raise ValidationError(
            _("Enter a time between %(first)s and %(last)s.")
            % {"first": PLAUSIBLE_YEARS.start, "last": PLAUSIBLE_YEARS.stop - 1},
            code="implausible_time",
        )
