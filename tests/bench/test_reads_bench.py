"""`socialdesk bench reads` on a small database: the figures are there, the reads saw 50 rows each, the
ingest ran meanwhile, and `--old-path` really reads through the writers' unit of work."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from socialdesk.bench.reads import build, measure
from socialdesk.bench.reads_data import seed, sqlite_database
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
        seed(runtime, 120, progress=lambda _line: None)
        result = measure(runtime, 120, 20, old_path=old_path)
        assert (runtime.read_uow == runtime.uow) is old_path
        with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:
            [(apart,)] = db.execute("SELECT count(*) FROM messages WHERE external_id LIKE 'apart%'")
    finally:
        runtime.close()
    assert result["conversations"] == 120
    assert result["idle"]["requests"] == result["ingesting"]["requests"] == 20
    assert result["ingesting"]["ingest_posts_per_s"] > 0
    assert result["p99_ratio"] > 0
    if old_path:  # reads that begin as writers would wait out the other process's writes
        assert "ingesting_in_another_process" not in result
        assert apart == 0
    else:  # then ingest in a process of its own (bench/reads_feeder.py), as `socialdesk ingest`
        # beside serve: its posts (ids "apart...") are in the database
        assert result["ingesting_in_another_process"]["requests"] == 20
        assert result["ingesting_in_another_process"]["ingest_posts_per_s"] > 0
        assert result["p99_ratio_another_process"] > 0
        assert apart > 0
    assert set(result["views_idle"]) == {
        "mine",
        "waiting_on_customer",
        "team",
        "sla_at_risk",
        "all_by_deadline",
    }
    assert all(v["requests"] == 20 for v in result["views_idle"].values())
    assert result["reads"] == ("write unit of work (old path)" if old_path else "read unit of work")


def test_the_database_is_built_once_then_copied_from_the_cache(tmp_path: Path) -> None:
    """The second run at the same size copies the kept file (and reports so); a run's writes stay in
    its copy."""
    lines: list[str] = []
    for run in ("first", "second"):
        folder = tmp_path / run
        folder.mkdir()
        with sqlite_database(150, tmp_path / "cache", folder, lines.append) as url:
            runtime = _runtime(url)
            try:
                with runtime.read_uow() as uow:
                    ws = uow.workspaces.get_by_slug("bench")
                    assert ws is not None and uow.conversations.count(ws.id) == 150
                seed(runtime, 10, progress=lambda _line: None)  # (duplicates: adds nothing)
                build(runtime, 0)  # an admin and a token, in this run's copy only
            finally:
                runtime.close()
    assert any(line.startswith("building 150 conversations: 150 (100%)") for line in lines), lines
    assert sum(line.startswith("from the cache:") for line in lines) == 1, lines
    assert len(list((tmp_path / "cache").glob("reads-sqlite-150-*.db"))) == 1


@pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)  # SQLite's batch mode
def test_a_database_kept_under_an_older_schema_is_migrated_not_rebuilt(tmp_path: Path) -> None:
    """A new migration does not cost a rebuild of the rows: the kept file of an older schema is copied
    and brought to the newest one (its rows, and the new schema's indexes, are there)."""
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, inspect

    from socialdesk.bench.reads_data import _keep, schema_key
    from socialdesk.storage.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = scripts.get_current_head()
    before = str(scripts.get_revision(head).down_revision)  # the schema before the newest migration
    cache = tmp_path / "cache"
    cache.mkdir()
    older = cache / f"reads-sqlite-40-{before}.db"
    with sqlite_database(40, None, tmp_path, lambda _line: None) as built:
        runtime = _runtime(built)
        runtime.close()
    _keep(tmp_path / "reads.db", older)  # 40 conversations, standing in for an older file
    command.downgrade(alembic_config(f"sqlite:///{older}"), before)  # ... minus the newest migration
    engine = create_engine(f"sqlite:///{older}")
    older_tables = set(inspect(engine).get_table_names())
    engine.dispose()
    lines: list[str] = []
    run = tmp_path / "run"
    run.mkdir()
    with sqlite_database(40, cache, run, lines.append) as url:
        runtime = _runtime(url)
        try:
            with runtime.read_uow() as uow:
                ws = uow.workspaces.get_by_slug("bench")
                assert ws is not None and uow.conversations.count(ws.id) == 40
        finally:
            runtime.close()
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == head
        assert set(inspect(engine).get_table_names()) >= older_tables
        engine.dispose()
    assert lines[0] == f"migrating a copy of {older}", lines
    assert not any(line.startswith("building") for line in lines), lines
    assert (cache / f"reads-sqlite-40-{schema_key()}.db").exists()
