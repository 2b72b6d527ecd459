"""A file-system storage that, in a worker started with HOLD_JOBS_IN set to a directory, stops
for good when a background job saves its result file: the worker is then mid-task (the job
claimed, its rows written, its file not yet stored), for the test to kill it. It says so by
writing `held` in that directory."""

import os
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class HeldStorage(FileSystemStorage):
    def _save(self, name, content):
        hold = os.environ.get("HOLD_JOBS_IN")
        if hold and name.startswith("jobs/out/"):
            Path(hold, "held").write_text(name)
            while True:  # until the test kills this worker
                time.sleep(1)
        return super()._save(name, content)
