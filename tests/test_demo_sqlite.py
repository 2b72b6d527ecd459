"""`make demo` runs on the embedded SQLite database: its steps, in a fresh database, in a
subprocess with the local settings, end with the demo data in place (the rest of the suite runs
on PostgreSQL, so database-specific SQL would otherwise only show up on a user's first try)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

STEPS = [
    ["migrate", "--noinput", "-v0"],
    ["load_anji"],
    ["create_demo_accounts"],
    ["seed_demo"],
]


def test_the_demo_steps_run_on_sqlite(tmp_path: Path):
    database = tmp_path / "demo.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anji_recycling.settings.local",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    for step in STEPS:
        done = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *step],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, (step, done.stderr[-3000:])

    with sqlite3.connect(database) as db:
        computed = db.execute(
            "SELECT COUNT(*) FROM assessments_assessmentperiod WHERE status = 'computed'"
        ).fetchone()[0]
        results = db.execute("SELECT COUNT(*) FROM assessments_townshipresult").fetchone()[0]
        cases = db.execute("SELECT COUNT(*) FROM inspections_case").fetchone()[0]
        # Every demo account can receive the sweeps' e-mails (printed on the console).
        emails = dict(db.execute("SELECT username, email FROM accounts_user WHERE username != ''"))
    assert computed == 1
    assert results == 15
    assert cases > 0
    assert {"commerce", "dipu", "grid", "market", "leader"} <= set(emails)
    assert sum(username.startswith("officer-") for username in emails) >= 10
    assert all(
        email == f"{username}@demo.anji-recycling.example" for username, email in emails.items()
    ), emails
