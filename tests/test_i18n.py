from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_chinese_translation_is_complete():
    catalogue = polib.pofile(str(PO))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(PO))
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in catalogue}
    built = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in compiled}
    assert {key: source[key] for key in source if key[1]} == {
        key: built[key] for key in built if key[1]
    }


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue makemessages makes from a copy of the source (the live strings only)."""
    import shutil
    import subprocess
    import sys

    base = Path(settings.BASE_DIR)
    skipped = shutil.ignore_patterns(
        ".venv", "node_modules", "staticfiles", "media", ".git", "tests", "__pycache__", "*.mo"
    )
    copy = tmp_path_factory.mktemp("i18n") / "src"
    shutil.copytree(base, copy, ignore=skipped)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / PO.relative_to(base)))


def test_every_string_marked_for_translation_is_in_the_catalogue(extracted):
    """makemessages on a copy of the source finds no string the catalogue lacks: a string marked
    for translation but never added to the .po would show in English to every user."""
    known = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(PO))}
    missing = [
        f"{entry.msgid!r} ({', '.join(f'{path}:{line}' for path, line in entry.occurrences[:2])})"
        for entry in extracted
        if (entry.msgctxt, entry.msgid) not in known
    ]
    assert missing == []


def test_the_catalogue_holds_no_string_the_code_no_longer_has(extracted):
    """No obsolete (#~) entry and no msgid the source no longer marks: a changed string's old
    entry leaves the .po with it (remove it by hand; `make messages` does it too)."""
    catalogue = polib.pofile(str(PO))
    live = {(entry.msgctxt, entry.msgid) for entry in extracted}
    assert catalogue.obsolete_entries() == []
    dead = [entry.msgid for entry in catalogue if (entry.msgctxt, entry.msgid) not in live]
    assert dead == []
