"""Where uploaded files are stored: one `upload_path` for every app's `upload_to` (photos,
evidence), with the uploader's file name sanitised."""

import re
from pathlib import PurePosixPath

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
