"""Python dependencies are locked with hashes from pyproject.toml's ranges (`make lock`), and a
lock that no longer matches pyproject is caught with a message saying what to run."""

import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)")

spec = importlib.util.spec_from_file_location("check_lock", ROOT / "scripts" / "check_lock.py")
check_lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_lock)


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    return {
        canonicalize_name(match[1]): match[2]
        for line in text.splitlines()
        if (match := PIN.match(line))
    }


def unlocked(requirements: list[str], lock: str) -> list[str]:
    locked = pins(lock)
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        version = locked.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement} is not in {lock}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement} does not admit {lock}'s {version}")
    return problems


def test_the_locks_were_computed_from_pyprojects_dependencies():
    assert check_lock.stale_locks(ROOT) == [], (
        "pyproject.toml's dependencies changed since requirements/ was locked: run `make lock`"
    )


def test_every_dependency_range_is_met_by_a_locked_version():
    assert unlocked(PROJECT["dependencies"], "requirements/base.txt") == []
    everything = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]
    assert unlocked(everything, "requirements/dev.txt") == []


def test_the_image_and_the_tests_run_the_same_versions_of_what_they_share():
    base, dev = pins("requirements/base.txt"), pins("requirements/dev.txt")
    assert {
        name: (version, dev.get(name)) for name, version in base.items() if dev.get(name) != version
    } == {}


def test_every_locked_package_has_hashes():
    for lock in check_lock.LOCKS:
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
        pinned = [entry for entry in entries if PIN.match(entry)]
        assert pinned
        assert [entry.split()[0] for entry in pinned if "--hash=sha256:" not in entry] == []


def test_a_dependency_added_to_pyproject_without_relocking_is_reported(tmp_path):
    (tmp_path / "requirements").mkdir()
    for name in ("pyproject.toml", *check_lock.LOCKS):
        shutil.copy(ROOT / name, tmp_path / name)
    script = [sys.executable, str(ROOT / "scripts" / "check_lock.py"), "--root", str(tmp_path)]
    assert subprocess.run(script, capture_output=True).returncode == 0

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('"gunicorn>=23",', '"gunicorn>=23",\n    "holidays>=0.60",')
    )
    stale = subprocess.run(script, capture_output=True, text=True)
    assert stale.returncode == 1
    assert "requirements/base.txt, requirements/dev.txt" in stale.stderr
    assert "make lock" in stale.stderr


def test_the_image_make_and_ci_install_from_the_lock_with_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --require-hashes -r requirements/base.txt" in dockerfile
    assert "--require-hashes -r requirements/dev.txt" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text()
