"""`socialdesk bench ingest`."""

from __future__ import annotations

import json
from typing import Annotated

import typer


def bench_ingest(
    posts: Annotated[int, typer.Option(min=1000, help="Generated posts to ingest.")] = 100_000,
    baseline_posts: Annotated[int, typer.Option(min=100, help="Posts for the row-by-row baseline.")] = 5_000,
    postgres: Annotated[
        bool, typer.Option(help="Also measure PostgreSQL (embedded unless a URL is set).")
    ] = True,
) -> None:
    """Posts/s for batched ingest into SQLite and PostgreSQL, with the ratio to row-by-row inserts."""
    from socialdesk.bench.ingest import run

    typer.echo(json.dumps(run(posts, baseline_posts, postgres), indent=2))
