"""Container healthchecks without curl (python:3.11-slim has none):

    python -m anji_recycling.probe http://127.0.0.1:8000/readyz/     # web: exit 0 on HTTP 200
    python -m anji_recycling.probe --file /tmp/beat-heartbeat --max-age 180   # beat

Exit status 0 when healthy, 1 otherwise, with the reason on stderr.
"""

import argparse
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def url_is_healthy(url: str, *, timeout: float = 5) -> tuple[bool, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status == 200, f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return False, f"HTTP {error.code}: {error.read(500).decode(errors='replace')}"
    except OSError as error:
        return False, str(error)


def file_is_fresh(path: Path, *, max_age: float, now: float | None = None) -> tuple[bool, str]:
    try:
        age = (time.time() if now is None else now) - path.stat().st_mtime
    except OSError as error:
        return False, str(error)
    return age <= max_age, f"{path} touched {age:.0f} s ago (at most {max_age:.0f} s)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m anji_recycling.probe")
    parser.add_argument("url", nargs="?", help="answers HTTP 200")
    parser.add_argument("--file", type=Path, help="was touched at most --max-age seconds ago")
    parser.add_argument("--max-age", type=float, default=180)
    parser.add_argument("--timeout", type=float, default=5)
    args = parser.parse_args(argv)
    if bool(args.url) == bool(args.file):
        parser.error("give either a URL or --file")
    if args.url:
        healthy, reason = url_is_healthy(args.url, timeout=args.timeout)
    else:
        healthy, reason = file_is_fresh(args.file, max_age=args.max_age)
    print(reason, file=sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
