"""One word per concept (#17). The county's document says 网点 for the network (网点建设,
三级回收网点) and 站点 for one site; 牵头部门, never 牵头单位; an agency by its registered
name (县商务局, never 商务局 alone); a village by its short name (康山村) on every screen and
export, its official NBS name (康山村委会) only in the registry's 全称 column. These scans refuse
the rejected variants in the catalogue, the templates, the front-end scripts and the exports."""

import re
from itertools import pairwise
from pathlib import Path

import polib
import pytest
from django.conf import settings

from agencies.reference import AGENCIES

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SKIPPED = {".venv", "node_modules", "staticfiles", "media", ".git", "tests", "migrations"}

# 县商务局 → 商务局: the short forms, refused unless 县 precedes them (国家统计局 is not an agency).
SHORT_AGENCY = re.compile(
    "(?<!县)("
    + "|".join(re.escape(short) for _code, _name, short, _kind in AGENCIES if short[0] != "县")
    + ")"
)
# An English msgid that speaks of the network or of collection points may say 网点.
NETWORK_OR_POINT = re.compile(r"point|network|placement|construction project", re.IGNORECASE)


def catalogue():
    return [entry for entry in polib.pofile(str(PO)) if not entry.obsolete]


def chinese(entry) -> str:
    return " ".join([entry.msgstr, *entry.msgstr_plural.values()])


def sources(*suffixes):
    for path in BASE.rglob("*"):
        if path.suffix in suffixes and not SKIPPED & set(path.relative_to(BASE).parts):
            yield path, path.read_text(encoding="utf-8")


def test_a_site_is_a_zhandian_and_the_network_is_wangdian():
    wrong = [
        f"{entry.msgid!r} → {chinese(entry)}"
        for entry in catalogue()
        if "网点" in chinese(entry) and not NETWORK_OR_POINT.search(entry.msgid)
    ]
    assert wrong == []
    assert [e.msgid for e in catalogue() if "网络建设" in chinese(e)] == []


def test_the_lead_agency_is_one_word():
    assert [entry.msgid for entry in catalogue() if "牵头单位" in chinese(entry)] == []
    lead = {entry.msgid: chinese(entry) for entry in catalogue() if entry.msgid in {"Lead", "lead"}}
    assert set(lead.values()) == {"牵头部门"}


def test_agencies_are_named_as_registered_in_the_catalogue():
    wrong = [chinese(entry) for entry in catalogue() if SHORT_AGENCY.search(chinese(entry))]
    assert wrong == []


@pytest.mark.parametrize("suffix", [".html", ".js"])
def test_templates_and_scripts_hold_none_of_the_rejected_words(suffix):
    wrong = [
        f"{path.relative_to(BASE)}: {match.group(0)}"
        for path, text in sources(suffix)
        for match in re.finditer(rf"牵头单位|网络建设|村委会|{SHORT_AGENCY.pattern}", text)
    ]
    assert wrong == []


@pytest.mark.parametrize("suffix", [".py", ".md"])
def test_code_and_documentation_say_wangdian_jianshe_and_qiantou_bumen(suffix):
    """Messages written in Chinese in the code (management commands, seed data) and the
    README use the county's words too."""
    wrong = [
        f"{path.relative_to(BASE)}: {match.group(0)}"
        for path, text in sources(suffix)
        for match in re.finditer("牵头单位|网络建设", text)
    ]
    assert wrong == []


def test_screens_show_an_agency_by_its_name_not_its_short_name():
    wrong = [
        str(path.relative_to(BASE))
        for path, text in sources(".html", ".py")
        if re.search(r"agency\.short_name\s*(}}|\)|or\b)", text)
    ]
    assert wrong == []


def test_screens_and_exports_show_a_village_by_its_short_name():
    """`{{ village }}` (康山村) everywhere, the API's village_name too; `village.name` (康山村委会)
    only in the registry's 全称 column and the API's official_name fields."""
    allowed = {Path("agencies/templates/agencies/village_list.html")}
    in_templates = [
        str(path.relative_to(BASE))
        for path, text in sources(".html")
        if re.search(r"village\.name\s*}}", text) and path.relative_to(BASE) not in allowed
    ]
    in_exports = [
        f"{path.relative_to(BASE)}: {line.strip()}"
        for path, text in sources(".py")
        if path.name in {"exports.py", "geojson.py", "meeting_pack.py", "serializers.py"}
        for before, line in pairwise(["", *text.splitlines()])
        if re.search(r"village\.name\b", line)
        and "official_name" not in line
        # str(village) taken apart for a plain-values export: short_name, then name for a
        # village without one (sites/exports.py).
        and "village.short_name" not in before
    ]
    assert in_templates == [] and in_exports == []
