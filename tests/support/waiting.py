"""Waiting on conditions, never on the clock: what the suite does on a machine whose cores are busy.

A test that needs something to happen in another thread or process waits until it has happened, with a
deadline far beyond what it takes on an idle machine (`PATIENCE`), so that a loaded machine makes the
test slower, never red. A deadline only ends a wait for something that will never happen.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# Seconds any one wait may take before the test fails: generous on purpose (the whole suite runs on
# 2 shared cores with load averages of 8). Waits for slow things (a cluster starting) pass more.
PATIENCE = 60.0


def wait_until(condition: Callable[[], bool], what: str, timeout: float = PATIENCE) -> None:
    """Return as soon as `condition()` holds; fail saying `what` was awaited after `timeout` s."""
    deadline = time.monotonic() + timeout
    pause = 0.005
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(pause)  # polling: the condition is checked again, the pause decides nothing
        pause = min(pause * 2, 0.05)
