"""The child processes of `socialdesk dev-cluster`: each with its own log file and process group,
watched while they run, stopped tier by tier (terminate, wait, kill after a timeout)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec (Linux): get SIGTERM if the dev-cluster process dies, even by kill -9,
    so no server outlives it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


@dataclass
class Child:
    name: str
    cmd: list[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    url: str = ""
    process: subprocess.Popen[bytes] | None = None
    reported: bool = False

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self) -> Child:
        """Start in a process group of its own (a Ctrl-C in the terminal reaches only the dev-cluster
        process, which stops the children in order), stdout and stderr appended to its log file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"--- {self.name} starting at {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC ---\n".encode())
            log.flush()
            # Our own interpreter or the packaged nats-server, with arguments we built: nothing untrusted.
            self.process = subprocess.Popen(  # noqa: S603
                self.cmd,
                env=self.env or None,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                process_group=0,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        return self

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def signal(self, sig: int) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)  # the whole group: a child's own children too


def newly_dead(children: Sequence[Child]) -> list[Child]:
    """Children that exited since the last call (each is returned once)."""
    dead = [c for c in children if not c.reported and c.process is not None and c.process.poll() is not None]
    for child in dead:
        child.reported = True
    return dead


def stop_tier(children: Sequence[Child], timeout: float = 15.0) -> list[Child]:
    """SIGTERM to each, wait for all of them up to `timeout`, SIGKILL what is left; returns the killed."""
    for child in children:
        child.reported = True  # an exit we asked for is not a death to report
        child.signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while any(c.running() for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    killed = [c for c in children if c.running()]
    for child in killed:
        child.signal(signal.SIGKILL)
    for child in children:
        if child.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(timeout=10)
    return killed
