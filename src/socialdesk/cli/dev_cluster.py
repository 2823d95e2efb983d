"""`socialdesk dev-cluster`: PostgreSQL + NATS + web processes + workers on this machine, in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("dev-cluster")(dev_cluster)


def dev_cluster(
    web: Annotated[int, typer.Option("--web", min=1, max=16, help="Web processes (socialdesk serve).")] = 2,
    workers: Annotated[int, typer.Option("--workers", min=1, max=16, help="Ingest worker processes.")] = 1,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Where PostgreSQL's data, JetStream's store and the logs live, kept between runs "
            "(default ~/.cache/socialdesk/dev-cluster; as root /var/tmp/socialdesk-dev-cluster).",
        ),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Delete the kept data first and start over.")
    ] = False,
    demo_traffic: Annotated[
        bool, typer.Option("--demo-traffic", help="Publish about 40 generated posts a minute.")
    ] = False,
) -> None:
    """Run scale-out mode on this machine: an embedded PostgreSQL, NATS with JetStream, N web processes and
    the workers (M ingest, one deliver, one checks, one channels) on free local ports; prints the URLs,
    the admin login and the log files; Ctrl-C or SIGTERM stops them all, PostgreSQL last."""
    from socialdesk.cluster.dev import DevCluster, default_data_dir

    folder = (data_dir or default_data_dir()).expanduser().absolute()
    cluster = DevCluster(
        folder,
        web=web,
        workers=workers,
        say=lambda line: typer.echo(line),
        complain=lambda line: typer.echo(line, err=True),
    )
    code = cluster.run(fresh=fresh, demo_traffic=demo_traffic)
    raise typer.Exit(code)
