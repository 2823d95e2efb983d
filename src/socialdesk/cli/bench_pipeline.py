"""`socialdesk bench pipeline`."""

from __future__ import annotations

import json
from typing import Annotated

import typer


def bench_pipeline(
    posts: Annotated[int, typer.Option(min=500, help="Posts per throughput run.")] = 10_000,
    rate: Annotated[float, typer.Option(help="Offered posts/s for the latency run.")] = 1000.0,
    rate_posts: Annotated[int, typer.Option(min=100, help="Posts in the latency runs.")] = 5_000,
    embedded_rate: Annotated[
        float, typer.Option(min=1.0, help="Offered posts/s for the embedded latency run.")
    ] = 3000.0,
) -> None:
    """Sustained posts/s and arrival-to-inbox latency: SQLite + in-process bus vs PostgreSQL + NATS
    with 1 and 2 worker processes, with the scaling ratio."""
    from socialdesk.bench.pipeline import run

    typer.echo(json.dumps(run(posts, rate, rate_posts, embedded_rate), indent=2))
