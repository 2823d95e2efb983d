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
) -> None:
    """N concurrent clients doing the agent mix (inbox list, conversation detail, replies) against a
    `socialdesk serve` on SQLite on a free 127.0.0.1 port, while posts are ingested through the API:
    p50/p99 per request kind, errors, dropped requests and the ingest rate reached."""
    from socialdesk.bench.load import run

    typer.echo(json.dumps(run(clients, rate, seconds, conversations, timeout), indent=2))
