"""The pieces of `manage.py benchmark`: each path is timed side by side with its anchor (the
same work done the plainest way, or the plainest work of its kind) in the same run, A, B, A,
B …, and the medians and their ratio are printed. On a shared machine absolute times drift
with the load; a ratio measured pair by pair holds."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    path: str
    project: float
    anchor: float
    unit: str  # "s", "ms", "rows/s", "req/s"
    anchor_name: str
    target: str
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.project / self.anchor if self.anchor else float("nan")


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def alternate(project: Callable[[], float], anchor: Callable[[], float], *, runs: int):
    """Run anchor and project in turn `runs` times each (A, B, A, B …); each callable returns
    its own figure (seconds, or a rate). Returns the two medians."""
    mine, theirs = [], []
    for _run in range(runs):
        theirs.append(anchor())
        mine.append(project())
    return statistics.median(mine), statistics.median(theirs)


def _figure(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:,.0f} {unit}"


def table(rows: list[Row]) -> str:
    """A Markdown table: path, project figure, anchor figure, ratio, target."""
    lines = [
        "| path | project | anchor | ratio | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        note = f" ({row.note})" if row.note else ""
        lines.append(
            f"| {row.path}{note} | {_figure(row.project, row.unit)} | "
            f"{_figure(row.anchor, row.unit)} ({row.anchor_name}) | {row.ratio:.2f}× | "
            f"{row.target} |"
        )
    return "\n".join(lines)


# HTTP: gunicorn as deployed (sync workers), hammered by `connections` client threads -----------


def serve_with_gunicorn(*, port: int, workers: int, env: dict, log=None):
    """gunicorn with the project's gunicorn.conf.py on 127.0.0.1:`port`; returns the process
    once it answers /healthz/. Its output goes to the file `log` (else nowhere)."""
    import subprocess
    import sys

    from django.conf import settings

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "anji_recycling.wsgi:application",
            "--config",
            str(settings.BASE_DIR / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with exit code {process.returncode}")
        try:
            if _get(port, "/healthz/", {})[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer /healthz/ within 60 s")


def _get(port: int, path: str, headers: dict) -> tuple[int, int]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    statuses: dict

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def hammer(*, port: int, paths: list[str], headers: dict, seconds: float, connections: int):
    """`connections` threads asking for `paths` in turn for `seconds`; anything but a 200 is an
    error."""
    import itertools
    import threading
    from collections import Counter

    stop = time.monotonic() + seconds
    statuses = Counter()
    lock = threading.Lock()
    turns = itertools.count()

    def client():
        mine = Counter()
        while time.monotonic() < stop:
            path = paths[next(turns) % len(paths)]
            try:
                status, _size = _get(port, path, headers)
            except OSError as error:
                status = type(error).__name__
            mine[status] += 1
        with lock:
            statuses.update(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _thread in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(statuses.values())
    return Load(
        requests=total, errors=total - statuses[200], seconds=elapsed, statuses=dict(statuses)
    )
