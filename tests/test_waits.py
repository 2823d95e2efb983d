"""Tests wait on conditions, never on sleeps (issue 17 item 10).

A test that sleeps to let another thread or process get somewhere passes on an idle machine and fails
on a busy one. Waiting goes through `tests/support/waiting.py` (`wait_until`, `PATIENCE`). A sleep
anywhere else in the tests must say on its line that it is `not a wait` and what it simulates (a slow
consumer, a stalled stream, an answer still on its way); `sleep=time.sleep` handed to a client as its
clock is not a call and is fine.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
HELPER = TESTS / "support" / "waiting.py"
MARK = "# not a wait"


def sleeps(source: str) -> list[int]:
    """Lines of `time.sleep(...)` / `asyncio.sleep(...)` calls (or a bare imported `sleep(...)`)
    that do not say they are not a wait."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        on_a_clock = (
            isinstance(func, ast.Attribute)
            and func.attr == "sleep"
            and isinstance(func.value, ast.Name)
            and func.value.id in {"time", "asyncio"}
        )
        bare = isinstance(func, ast.Name) and func.id == "sleep"
        if (on_a_clock or bare) and MARK not in lines[node.lineno - 1]:
            found.append(node.lineno)
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import time\ntime.sleep(0.5)",
        "import asyncio\nasync def f():\n    await asyncio.sleep(1)",
        "from time import sleep\nsleep(0.2)",
        "import time\ntime.sleep(0.5)  # many passes of both runners",
    ],
)
def test_a_sleep_is_found(source: str) -> None:
    assert sleeps(source)


@pytest.mark.parametrize(
    "source",
    [
        "import time\ntime.sleep(0.2)  # not a wait: the slow consumer under test",
        "import time\nclient(sleep=time.sleep)",
        "stop.sleep(30)",  # a client's own stop flag, not the clock
    ],
)
def test_a_marked_sleep_or_a_sleep_handed_on_is_not(source: str) -> None:
    assert sleeps(source) == []


def test_tests_wait_on_conditions_not_sleeps() -> None:
    files = [p for p in sorted(TESTS.rglob("*.py")) if p != HELPER and "atproto" not in p.parts]
    assert len(files) > 100  # the tests were found
    found = [
        f"{path.relative_to(TESTS.parent)}:{line}"
        for path in files
        for line in sleeps(path.read_text(encoding="utf-8"))
    ]
    assert not found, (
        "tests sleep instead of waiting on a condition: use tests/support/waiting.py's wait_until "
        f"(or, for a sleep that simulates something, say `{MARK}: what` on its line):\n" + "\n".join(found)
    )
