"""Run a few processes as one: start them, and when one of them ends or this process is told to
stop (Ctrl-C, SIGTERM), stop all of them and everything they started. Used by
`manage.py rundemo` (runserver beside a Celery worker with beat).

Each child runs in its own process group, so a terminal's Ctrl-C reaches only the supervisor,
which then stops the children in order; whatever a child left behind in its group (a reloader's
server, pool processes, embedded beat) is killed after it. On Linux a child is also sent
SIGTERM if the supervisor itself dies.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field

PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: list[str]
    # How the child is asked to stop: SIGTERM to its whole group (a server with a reloader
    # parent) or to its main process only (a Celery worker shuts its pool down itself).
    whole_group: bool = False
    process: subprocess.Popen | None = field(default=None, repr=False)


def _die_with_parent():  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group is already gone
        os.killpg(pgid, signum)


class Supervisor:
    def __init__(self, children: list[Child], *, env=None, grace: float = 20, write=print):
        self.children = children
        self.env = env
        self.grace = grace
        self.write = write
        self.stop_requested = threading.Event()
        self.stop_reason = ""

    def _request_stop(self, signum, _frame):
        self.stop_reason = signal.Signals(signum).name
        self.stop_requested.set()

    def run(self) -> int:
        """Start every child; return 0 after a requested stop, 1 if a child ended by itself."""
        previous = {signum: signal.signal(signum, self._request_stop) for signum in STOP_SIGNALS}
        try:
            for child in self.children:
                child.process = subprocess.Popen(
                    child.argv, env=self.env, start_new_session=True, preexec_fn=_die_with_parent
                )
            ended = self._wait_for_stop_or_exit()
            self.stop()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if ended is not None:
            self.write(f"{ended.name} exited with status {ended.process.returncode}")
            return 1
        return 0

    def _wait_for_stop_or_exit(self) -> Child | None:
        while not self.stop_requested.wait(0.5):
            for child in self.children:
                if child.process.poll() is not None:
                    return child
        return None

    def stop(self) -> None:
        """Stop the children in reverse order, then kill what is left in their groups."""
        for child in reversed(self.children):
            process = child.process
            if process is None:
                continue
            if process.poll() is None:
                if child.whole_group:
                    _signal_group(process.pid, signal.SIGTERM)
                else:
                    process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=self.grace)
                except subprocess.TimeoutExpired:
                    self.write(f"{child.name} did not stop within {self.grace:.0f} s: killed")
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()
