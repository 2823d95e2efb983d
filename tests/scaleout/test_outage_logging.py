"""A NATS outage is logged as one line per change of state ("unreachable ... retrying", then "back"),
not as a traceback for every reconnection attempt."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

import pytest

from socialdesk.actions.accounts.users import ensure_workspace
from socialdesk.bus.nats_server import LocalNats
from socialdesk.demo.traffic import generate_posts
from socialdesk.runtime import Runtime
from tests.scaleout.conftest import StageThread, wait_until

# One message per failed reconnection attempt: nats-py's own (before) or ours at debug level (after).
RETRY_MARKS = ("encountered error", "still unreachable")


def _stored(runtime: Runtime, ws: int) -> int:
    with runtime.uow() as uow:
        return uow.messages.count(ws)


def test_nats_outage_logs_one_line_per_state_change(
    scaleout: tuple[Runtime, Callable[..., StageThread]],
    nats_server: LocalNats,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="nats")
    caplog.set_level(logging.DEBUG, logger="socialdesk")
    web, stage = scaleout
    with web.uow() as uow:
        ws = ensure_workspace(uow, "acme").id
        uow.commit()
    posts = list(generate_posts(200, seed=51))
    assert web.nats is not None
    web.nats.publish_posts(ws, posts[:100])
    stage(batch=50)
    wait_until(lambda: _stored(web, ws) == 100, 60, "the first posts to be stored")
    before = len(caplog.records)

    nats_server.stop()

    def retries() -> int:
        return sum(any(m in r.getMessage() for m in RETRY_MARKS) for r in caplog.records[before:])

    # Several reconnection attempts by each client (every 250 ms) while NATS is away.
    wait_until(lambda: retries() >= 12, 60, "the clients to retry a few times")
    nats_server.start()  # same port and data folder
    web.nats.publish_posts(ws, posts[100:])
    wait_until(lambda: _stored(web, ws) == 200, 120, "the posts published after the outage")

    records = caplog.records[before:]
    loud = [r for r in records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in loud if r.exc_info] == []  # no traceback, let alone one per retry
    lines = Counter(r.getMessage() for r in loud)
    url = nats_server.url

    def said(start: str, end: str = "") -> int:
        return sum(n for text, n in lines.items() if text.startswith(start) and text.endswith(end))

    assert said(f"ingest stage: NATS unreachable at {url}", ": retrying") == 1, lines
    assert said(f"ingest stage: NATS back at {url}") == 1, lines
    # Three connections (the web side's bus, the worker's bus, the ingest stage's own): one line each way.
    down = sum(n for text, n in lines.items() if "NATS unreachable" in text)
    back = sum(n for text, n in lines.items() if "NATS back" in text)
    assert (down, back) == (3, 3), lines
    assert len(loud) == 6, lines  # nothing else, let alone repeated per attempt
