"""What an uploaded workbook must be before anything reads it: its size, that it is an .xlsx
at all (a zip archive), and the largest number of rows the portal imports at once. Shared by
every Excel import (the rosters, the market's weighbridge records) and their jobs."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def upload_filename(file) -> str:
    return PurePath(getattr(file, "name", "") or "").name


def not_xlsx(filename) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s is not an Excel workbook (.xlsx) that can be read: save it as an "
            "Excel workbook (.xlsx) and upload it again."
        )
        % {"name": filename or _("The file")},
        code="not_xlsx",
    )


def import_limits() -> dict:
    """The largest upload taken: bytes (and the same in MB, as users read it) and rows."""
    return {
        "bytes": settings.IMPORT_MAX_BYTES,
        "megabytes": f"{settings.IMPORT_MAX_BYTES / (1024 * 1024):g}",
        "rows": settings.IMPORT_MAX_ROWS,
    }


def refuse_upload_at_once(upload) -> None:
    """Refuse at once, before anything reads it, a file over the size limit or one that is not
    even a zip archive (every .xlsx is one: its directory, at the end, is all that is read)."""
    limits = import_limits()
    if upload.size > limits["bytes"]:
        raise ValidationError(
            _(
                "%(name)s is larger than %(megabytes)s MB, the largest file the portal imports: "
                "split it into several files."
            )
            % {"name": upload_filename(upload), "megabytes": limits["megabytes"]},
            code="too_large",
        )
    upload.seek(0)
    readable = zipfile.is_zipfile(upload)
    upload.seek(0)
    if not readable:
        raise not_xlsx(upload_filename(upload))


def too_many_rows_message(count: int) -> str:
    return _(
        "The workbook has %(count)s rows, more than the %(limit)s rows the portal imports at "
        "once: split it into files of at most %(limit)s rows."
    ) % {"count": count, "limit": import_limits()["rows"]}
