"""The shared validators: 统一社会信用代码, phone numbers, positions, photos."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anji_recycling.validators import (
    validate_credit_code,
    validate_image_upload,
    validate_phone,
    validate_position,
)
from tests.factories import credit_code


@pytest.mark.parametrize("code", ["91330100799655058B", credit_code(1), credit_code(424242)])
def test_valid_credit_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "91330100799655058A",  # wrong check character
        "91330100799655058",  # 17 characters
        "9133010079965505IB",  # I is not in the alphabet
        "",
    ],
)
def test_bad_credit_codes_are_refused(code):
    with pytest.raises(ValidationError):
        validate_credit_code(code)


@pytest.mark.parametrize(
    "phone", ["13912345678", "0572-5123456", "05725123456", "+86 139 1234 5678"]
)
def test_mainland_phone_numbers_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345678901", "1391234567", "5123456", "abc"])
def test_bad_phone_numbers_are_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_positions_inside_anji_pass_and_outside_fail():
    validate_position(30.63, 119.68)
    validate_position(None, None)
    with pytest.raises(ValidationError):
        validate_position(31.23, 121.47)  # Shanghai
    with pytest.raises(ValidationError):
        validate_position(30.63, None)


def _png(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_png_photo_passes():
    validate_image_upload(SimpleUploadedFile("site.png", _png(), content_type="image/png"))


def test_a_text_file_posing_as_a_photo_is_refused():
    upload = SimpleUploadedFile("site.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="site.jpg"):
        validate_image_upload(upload)


def test_a_photo_over_ten_megabytes_is_refused(monkeypatch):
    monkeypatch.setattr("anji_recycling.validators.MAX_IMAGE_BYTES", 10)
    with pytest.raises(ValidationError):
        validate_image_upload(SimpleUploadedFile("big.png", _png(), content_type="image/png"))
