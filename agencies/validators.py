"""Validation of the county's official codes (NBS 统计用区划代码)."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

ANJI_COUNTY_CODE = "330523"

TOWNSHIP_CODE_MESSAGE = _("A township code has 9 digits and starts with 330523 (Anji County).")
VILLAGE_CODE_MESSAGE = _(
    "A village or community code has 12 digits and starts with 330523 (Anji County)."
)

validate_township_code = RegexValidator(
    regex=rf"^{ANJI_COUNTY_CODE}\d{{3}}$",
    message=TOWNSHIP_CODE_MESSAGE,
    code="invalid_township_code",
)

validate_village_code = RegexValidator(
    regex=rf"^{ANJI_COUNTY_CODE}\d{{6}}$",
    message=VILLAGE_CODE_MESSAGE,
    code="invalid_village_code",
)
