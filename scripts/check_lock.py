"""Is requirements/*.txt locked from the pyproject.toml beside it?

The lock files are written by `make lock` (uv pip compile --generate-hashes), which then runs
`check_lock.py --stamp`: the first line of each file records the SHA-256 of pyproject.toml's
dependency tables. `make install` (and so `make test`, `.ci/run`) runs `check_lock.py` first
and stops with a clear message when pyproject's dependencies changed since; the image installs
from the same files. Standard library only: it runs before any virtual environment exists.

    python3 scripts/check_lock.py            # exit 1 if a lock is stale
    python3 scripts/check_lock.py --stamp    # record pyproject's hash (after uv pip compile)
"""

import argparse
import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("requirements/base.txt", "requirements/dev.txt")
HEADER = "# pyproject-dependencies-sha256: "


def dependencies_hash(pyproject: Path) -> str:
    """The hash of what a lock is computed from: requires-python and every dependency list."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    locked_from = {
        "requires-python": project.get("requires-python", ""),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
    }
    canonical = json.dumps(locked_from, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def recorded_hash(lock: Path) -> str | None:
    with lock.open(encoding="utf-8") as lines:
        first = lines.readline().rstrip("\n")
    return first.removeprefix(HEADER) if first.startswith(HEADER) else None


def stale_locks(root: Path) -> list[str]:
    """Lock files that are missing or were computed from other dependencies."""
    expected = dependencies_hash(root / "pyproject.toml")
    return [
        name
        for name in LOCKS
        if not (root / name).exists() or recorded_hash(root / name) != expected
    ]


def stamp(root: Path) -> None:
    expected = dependencies_hash(root / "pyproject.toml")
    for name in LOCKS:
        lock = root / name
        lines = lock.read_text(encoding="utf-8").splitlines(keepends=True)
        if lines and lines[0].startswith(HEADER):
            lines = lines[1:]
        lock.write_text(f"{HEADER}{expected}\n" + "".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stamp", action="store_true", help="record pyproject's hash")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stamp:
        stamp(args.root)
        return 0
    stale = stale_locks(args.root)
    if stale:
        print(
            f"{', '.join(stale)}: not locked from the dependencies now in pyproject.toml.\n"
            "Run `make lock` (keeps the other pins; `make upgrade` takes the newest versions "
            "pyproject allows) and commit requirements/.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
