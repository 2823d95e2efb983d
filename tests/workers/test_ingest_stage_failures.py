"""The ingest stage logs failing batches once per change of state, not once per retry."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

from socialdesk.storage.errors import database_away
from socialdesk.workers.ingest_stage import BatchFailures


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_database_outage_is_two_lines_however_many_retries(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="socialdesk")
    failures = BatchFailures(database_away)
    away = OperationalError("INSERT ...", {}, ConnectionRefusedError("connection refused\nmore detail"))
    for attempt in range(50):
        failures.failed(away, 0.1 * attempt, nats_down=False)
    failures.cleared()
    failures.cleared()  # further good batches say nothing
    lines = _warnings(caplog)
    assert len(lines) == 2, lines
    assert lines[0].startswith("ingest: database unreachable (") and lines[0].endswith(": retrying")
    assert "\n" not in lines[0]
    assert lines[1] == "ingest: batches stored again (after database failures)"
    assert not any(r.exc_info for r in caplog.records)


def test_an_unexpected_failure_keeps_one_traceback_then_a_new_kind_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failures = BatchFailures(database_away)
    for _ in range(10):
        failures.failed(RuntimeError("bug"), 0.5, nats_down=False)
    failures.failed(RuntimeError("bug"), 0.5, nats_down=True)  # now NATS is away as well
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [bool(r.exc_info) for r in loud] == [True, False]
    assert "NATS is unreachable" in loud[1].getMessage()
