"""`socialdesk bench search` at a tiny size: the generated database, both sides timed, the figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialdesk.bench.search import measure, queries
from socialdesk.bench.search_data import postgres_database, sqlite_database


def _checked(figures: dict[str, object], posts: int) -> None:
    assert figures["posts"] == posts
    assert set(figures["queries"]) == set(queries())  # type: ignore[arg-type]
    for side in ("fts", "like"):
        assert figures[side]["requests"] == 2 * len(queries())  # type: ignore[index]
    very_rare = figures["queries"]["very_rare_word"]  # type: ignore[index]
    assert very_rare["fts"]["rows"] <= very_rare["like"]["rows"] + 50


def test_bench_search_on_sqlite_builds_once_and_measures(tmp_path: Path) -> None:
    url = sqlite_database(2_000, tmp_path, progress=lambda _line: None)
    assert (tmp_path / "sqlite-2000.db").exists()
    assert sqlite_database(2_000, tmp_path, progress=lambda _line: None) == url  # from the cache
    _checked(measure(url, 2, 2, progress=lambda _line: None), 2_000)


@pytest.mark.postgres
def test_bench_search_on_postgresql(postgres_server_url: str, tmp_path: Path) -> None:
    url = postgres_database(2_000, tmp_path, postgres_server_url, progress=lambda _line: None)
    _checked(measure(url, 2, 2, progress=lambda _line: None), 2_000)
