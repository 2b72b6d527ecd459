"""A table row of the shared writer (anji_recycling/xlsx.py) as the XML openpyxl writes for its
cells, in one string: openpyxl builds an element tree for every cell, which was most of a large
roster's time. Text, numbers, booleans and blanks only; anything else (dates, number formats)
goes through openpyxl's own cells. tests/test_xlsx_writer.py compares the two byte for byte."""

import math
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string

# What makes a spreadsheet read text as a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def row_xml(values, row_idx: int, *, letters, plain: int, quoted) -> str | None:
    """`<row>` with a cell per value (column `letters`), styled `plain`, or `quoted()` for text a
    spreadsheet would take for a formula or an error value; None when a value is not plain."""
    parts = [f'<row r="{row_idx}">']
    for letter, value in zip(letters, values, strict=False):
        where = f'<c r="{letter}{row_idx}" s="'
        if value is None:
            parts.append(f'{where}{plain}" t="n" />')
        elif isinstance(value, str):
            value = value[:32767]  # as openpyxl's cell cuts it
            if ILLEGAL_CHARACTERS_RE.search(value):
                return None  # openpyxl's cell refuses it, with its message
            style = (
                quoted() if value.startswith(FORMULA_PREFIXES) or value in ERROR_CODES else plain
            )
            if not value:
                parts.append(f'{where}{style}" t="inlineStr" />')
                continue
            stripped = value.strip()
            space = ' xml:space="preserve"' if stripped and stripped != value else ""
            parts.append(
                f'{where}{style}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
            )
        elif isinstance(value, bool):
            parts.append(f'{where}{plain}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | Decimal | float) and math.isfinite(value):
            parts.append(f'{where}{plain}" t="n"><v>{safe_string(value)}</v></c>')
        else:
            return None
    parts.append("</row>")
    return "".join(parts)
