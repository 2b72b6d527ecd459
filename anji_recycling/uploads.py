"""Where uploaded files are stored: one `upload_path` for every app's `upload_to` (photos,
evidence), with the uploader's file name sanitised."""

import re
from pathlib import PurePosixPath

from django.utils import timezone
from django.utils.deconstruct import deconstructible

MAX_STEM = 80


def safe_filename(filename: str) -> str:
    """The uploader's file name as a plain name to store: no folders (`../`, `C:\\`), only
    letters (Chinese too), digits, `-` and `_` (runs of anything else become one `_`), a
    lower-case extension of letters and digits, and never empty."""
    name = PurePosixPath(str(filename).replace("\\", "/")).name
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = re.sub(r"[^\w-]+", "_", stem).strip("._-")[:MAX_STEM] or "file"
    extension = re.sub(r"[^0-9a-zA-Z]+", "", extension).lower()[:10]
    return f"{stem}.{extension}" if extension else stem


def upload_path(folder: str, filename: str) -> str:
    """`folder/<sanitised name>`; the storage adds a suffix when the name is taken."""
    return f"{folder.strip('/')}/{safe_filename(filename)}"


@deconstructible
class ParentPath:
    """`upload_to` for a file that belongs to one record: `folder/<record id>/<sanitised name>`
    (`ParentPath("sites", "site_id")`). A class, not a closure, so migrations can name it."""

    def __init__(self, folder: str, parent_id: str):
        self.folder, self.parent_id = folder, parent_id

    def __call__(self, instance, filename: str) -> str:
        return upload_path(f"{self.folder}/{getattr(instance, self.parent_id)}", filename)


@deconstructible
class MonthlyPath:
    """`upload_to` for evidence filed by month: `folder/<YYYY>/<MM>/<sanitised name>`."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return upload_path(f"{self.folder}/{timezone.localdate():%Y/%m}", filename)
