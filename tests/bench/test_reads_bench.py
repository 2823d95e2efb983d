"""`socialdesk bench reads` on a small database: the figures are there, the reads saw 50 rows each, the
ingest ran meanwhile, and `--old-path` really reads through the writers' unit of work."""

from __future__ import annotations

import pytest

from socialdesk.bench.reads import build, measure
from socialdesk.config import Settings
from socialdesk.runtime import Runtime, build_runtime


def _runtime(url: str) -> Runtime:
    return build_runtime(Settings(database_url=url, triage=False, triage_processes=0), migrate=False)


def test_build_makes_one_conversation_per_post(sqlite_url: str) -> None:
    runtime = _runtime(sqlite_url)
    try:
        ws, token = build(runtime, 120)
        with runtime.read_uow() as uow:
            assert uow.conversations.count(ws) == 120
        assert token
    finally:
        runtime.close()


@pytest.mark.parametrize("old_path", [False, True])
def test_measure_reports_idle_and_ingesting_figures(sqlite_url: str, old_path: bool) -> None:
    runtime = _runtime(sqlite_url)
    try:
        result = measure(runtime, 120, 20, old_path=old_path)
        assert (runtime.read_uow == runtime.uow) is old_path
    finally:
        runtime.close()
    assert result["conversations"] == 120
    assert result["idle"]["requests"] == result["ingesting"]["requests"] == 20
    assert result["ingesting"]["ingest_posts_per_s"] > 0
    assert result["p99_ratio"] > 0
    assert result["reads"] == ("write unit of work (old path)" if old_path else "read unit of work")
