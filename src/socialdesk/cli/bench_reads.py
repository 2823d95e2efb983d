"""`socialdesk bench reads`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def bench_reads(
    conversations: Annotated[
        int,
        typer.Option(
            min=100, max=5_000_000, help="Conversations in the database (1,000,000 for the target)."
        ),
    ] = 50_000,
    requests: Annotated[int, typer.Option(min=20, max=100_000, help="Inbox list requests per phase.")] = 500,
    old_path: Annotated[
        bool, typer.Option("--old-path", help="Reads on the writers' unit of work, as before read_uow.")
    ] = False,
    postgres: Annotated[
        bool, typer.Option("--postgres", help="On an embedded PostgreSQL instead of an SQLite file.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            help="Where built databases are kept between runs "
            "(default ~/.cache/socialdesk/bench; /var/tmp/socialdesk-bench for root)."
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Build the database afresh and keep nothing.")
    ] = False,
) -> None:
    """The inbox list's (50 rows) p50/p99 with N conversations, idle and while posts are ingested at full
    speed through the embedded ingest queue, with the ratio to idle in the same run. The database is
    built once per size and schema and kept (progress on stderr)."""
    from socialdesk.bench.reads import run
    from socialdesk.bench.reads_data import default_cache_dir

    cache = None if no_cache else (cache_dir or default_cache_dir())
    result = run(conversations, requests, old_path=old_path, postgres=postgres, cache=cache)
    typer.echo(json.dumps(result, indent=2))
