"""`socialdesk bench search`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def bench_search(
    posts: Annotated[
        int, typer.Option(min=1_000, max=20_000_000, help="Posts in the database (3,000,000 for the target).")
    ] = 3_000_000,
    requests: Annotated[
        int, typer.Option(min=1, max=10_000, help="Timed runs of each query (full-text).")
    ] = 20,
    like_requests: Annotated[
        int, typer.Option(min=0, max=1_000, help="Timed runs of each query by the LIKE scan (0: skip it).")
    ] = 3,
    sqlite: Annotated[bool, typer.Option(help="Measure SQLite.")] = True,
    postgres: Annotated[bool, typer.Option(help="Measure PostgreSQL (a kept embedded cluster).")] = True,
    cache_dir: Annotated[
        Path | None,
        typer.Option(help="Where the built databases are kept (default /var/tmp/socialdesk-bench-search)."),
    ] = None,
) -> None:
    """The inbox search's p50/p95 over N posts by the full-text indexes, and by the LIKE scan used before
    (the ratio), on SQLite and PostgreSQL. The database is built once per size and kept (progress on
    stderr); later runs migrate it to the newest schema and start in seconds."""
    from socialdesk.bench.search import run
    from socialdesk.bench.search_data import DEFAULT_CACHE

    result = run(
        posts, requests, like_requests, sqlite=sqlite, postgres=postgres, cache=cache_dir or DEFAULT_CACHE
    )
    typer.echo(json.dumps(result, indent=2))
