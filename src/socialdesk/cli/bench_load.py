"""`socialdesk bench load`."""

from __future__ import annotations

import json
from typing import Annotated

import typer


def bench_load(
    clients: Annotated[int, typer.Option(min=1, max=500, help="Concurrent HTTP clients.")] = 20,
    rate: Annotated[float, typer.Option(min=1.0, max=20_000.0, help="Posts/s offered to the API.")] = 300.0,
    seconds: Annotated[float, typer.Option(min=2.0, max=600.0, help="How long the load runs.")] = 20.0,
    conversations: Annotated[
        int, typer.Option(min=100, max=1_000_000, help="Conversations in the database at the start.")
    ] = 5_000,
    timeout: Annotated[
        float,
        typer.Option(min=1.0, max=120.0, help="Seconds a request may wait before it counts as dropped."),
    ] = 30.0,
    web: Annotated[
        int,
        typer.Option(
            min=0,
            max=16,
            help="0: one `socialdesk serve` on SQLite (embedded mode). N: the scale-out mode "
            "(PostgreSQL + NATS, as `socialdesk dev-cluster` starts it) with N web processes.",
        ),
    ] = 0,
    ingest_workers: Annotated[
        int, typer.Option(min=1, max=16, help="Ingest workers in the scale-out mode (--web N).")
    ] = 1,
) -> None:
    """N concurrent clients doing the agent mix (inbox list, conversation detail, replies) against a
    `socialdesk serve` on SQLite on a free 127.0.0.1 port (or, with --web N, against N web processes of
    the scale-out mode), while posts are ingested through the API: p50/p99 per request kind, errors,
    dropped requests, the ingest rate reached and the server's CPU per request."""
    if web:
        from socialdesk.bench.load_cluster import run_cluster
        from socialdesk.cluster.dev import ClusterError

        try:
            result = run_cluster(
                clients, rate, seconds, conversations, timeout, web=web, workers=ingest_workers
            )
        except ClusterError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
    else:
        from socialdesk.bench.load import run

        result = run(clients, rate, seconds, conversations, timeout)
    typer.echo(json.dumps(result, indent=2))
