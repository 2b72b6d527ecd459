"""`make test` on a fresh Debian machine installs Debian's chromium, CJK fonts and
docker-compose itself when it runs as root with apt-get (scripts/system-deps.sh), and otherwise
prints the one command to run and fails. apt-get, dpkg-query and id are stand-ins on PATH here:
nothing is installed."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCRIPT = ROOT / "scripts" / "system-deps.sh"


@pytest.fixture
def fake_debian(tmp_path):
    """A PATH whose dpkg-query knows only the packages listed in `installed`, whose id says
    `uid`, and whose apt-get writes its arguments to apt.log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    apt_log = tmp_path / "apt.log"

    def tool(name, body):
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)

    def run(*, installed=(), uid=0, apt_status=0):
        tool(
            "dpkg-query",
            'for p in "$@"; do last="$p"; done\n'
            f'case " {" ".join(installed)} " in *" $last "*) printf installed;; '
            "*) printf not-installed; exit 1;; esac",
        )
        tool("id", f"echo {uid}")
        tool("apt-get", f'echo "$*" >> {apt_log}\nexit {apt_status}')
        done = subprocess.run(
            ["sh", str(SCRIPT)],
            env={**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        calls = apt_log.read_text().splitlines() if apt_log.exists() else []
        apt_log.unlink(missing_ok=True)
        return done, calls

    return run


def test_as_root_the_missing_browser_and_fonts_are_installed_with_apt(fake_debian):
    done, calls = fake_debian(installed=(), uid=0)
    assert done.returncode == 0, done.stderr
    assert calls == ["update", "install -y chromium fonts-noto-cjk docker-compose"]


def test_only_what_is_missing_is_installed(fake_debian):
    done, calls = fake_debian(installed=("chromium", "docker-compose"), uid=0)
    assert done.returncode == 0
    assert calls == ["update", "install -y fonts-noto-cjk"]


def test_nothing_is_installed_when_all_are_there(fake_debian):
    done, calls = fake_debian(installed=("chromium", "fonts-noto-cjk", "docker-compose"), uid=0)
    assert (done.returncode, calls, done.stdout, done.stderr) == (0, [], "", "")


def test_without_root_the_command_to_run_is_printed_and_make_stops(fake_debian):
    done, calls = fake_debian(installed=(), uid=1000)
    assert done.returncode == 1
    assert calls == []
    assert (
        "apt-get update && apt-get install -y chromium fonts-noto-cjk docker-compose" in done.stderr
    )


def test_a_failed_apt_install_fails_make_test(fake_debian):
    done, calls = fake_debian(installed=(), uid=0, apt_status=100)
    assert done.returncode != 0
    assert calls == ["update"]


def test_make_test_checks_system_packages_before_pytest_and_ci_only_calls_make_test():
    dry_run = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    steps = dry_run.splitlines()
    position = {
        step: next(i for i, line in enumerate(steps) if step in line)
        for step in ("check_lock.py", "--require-hashes", "system-deps.sh", "pytest")
    }
    assert position["check_lock.py"] < position["--require-hashes"] < position["pytest"]
    assert position["system-deps.sh"] < position["pytest"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get" not in ci
    assert "make test" in ci
