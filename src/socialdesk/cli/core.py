"""Core commands: migrate, users, tokens, ingest, serve, demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from socialdesk.cli.accounts import tokens_app, users_app
from socialdesk.cli.options import DbOption, WorkspaceOption, fail, progress_enabled, settings_for

if TYPE_CHECKING:
    from socialdesk.actions.ingest_stream import StreamReport

# The formats of `socialdesk.ingest.readers.FORMATS`, spelled here so that the help needs no import of
# the readers (they load jsonschema); tests/cli/test_startup.py holds the two equal.
FORMATS = ("jsonl", "twcs", "airline")

brands_app = typer.Typer(help="Manage the brand's own accounts.", no_args_is_help=True)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("migrate")(migrate)
    app.command("ingest")(ingest)
    app.command("serve")(serve)
    app.command("demo")(demo)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(brands_app, name="brands")
    from socialdesk.cli.bench_ingest import bench_ingest

    bench_app.command("ingest")(bench_ingest)
    from socialdesk.cli.bench_reads import bench_reads

    bench_app.command("reads")(bench_reads)
    from socialdesk.cli.bench_search import bench_search

    bench_app.command("search")(bench_search)
    from socialdesk.cli.bench_load import bench_load

    bench_app.command("load")(bench_load)


def migrate(db: DbOption = None) -> None:
    """Create or upgrade the database schema to the newest version."""
    from socialdesk.runtime import prepare_database

    settings = settings_for(db)
    prepare_database(settings.database_url)
    typer.echo(f"database is at the newest schema: {settings.database_url}")


def ingest(
    path: Annotated[str, typer.Argument(help="File to load, or - for JSONL on stdin.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help=f"One of {', '.join(FORMATS)}; guessed if omitted.")
    ] = None,
    workspace: WorkspaceOption = "default",
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 1000,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="Past conversations: those the brand answered last are stored resolved, with their "
            "first-response time; only unanswered ones open cases.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Load posts (idempotent: a second run adds nothing). Prints a JSON summary; bad records go to stderr."""
    from socialdesk.actions.accounts import ensure_workspace
    from socialdesk.actions.ingest_stream import case_tally, ingest_records
    from socialdesk.ingest.readers import ReadContext, guess_format, read_records
    from socialdesk.runtime import build_runtime

    try:
        chosen = fmt or guess_format(path)
    except ValueError as exc:
        fail(str(exc))
    if chosen not in FORMATS:
        fail(f"--format {chosen!r}: expected one of {', '.join(FORMATS)}")
    if path != "-" and not Path(path).is_file():
        fail(f"{path}: no such file")
    runtime = build_runtime(settings_for(db))
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, workspace)
    context = ReadContext()
    # Bytes, decoded line by line by the reader: a byte that is not UTF-8 spoils one line, not the file.
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    show = progress_enabled()

    def progress(report: StreamReport) -> None:
        if show:
            typer.echo(
                f"\r{report.received} read, {report.added} added, {len(report.errors)} bad",
                err=True,
                nl=False,
            )

    try:
        report = ingest_records(
            runtime.uow,
            ws.id,
            read_records(stream, chosen, context),
            runtime.clock,
            batch_size=batch_size,
            brand_handles=lambda: context.brand_handles,
            on_progress=progress,
            annotator=runtime.annotator,
            # The runtime's post sink accepts each batch while the next is read (embedded: the ingest
            # writer stores it, triaged ahead; scale-out: the posts stream holds it for the workers).
            sink=runtime.post_sink(),
            history=history,
        )
        opened, resolved = report.cases_opened, report.cases_resolved
        if history:  # a case opened by one batch may be answered in a later one: count what is left
            with runtime.uow() as uow:
                tally = case_tally(uow, ws.id, report.conversation_ids)
            opened, resolved = tally["open"], tally["resolved"]
    except ValueError as exc:
        fail(str(exc))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
        runtime.close()
    if show:
        typer.echo("", err=True)
    for error in sorted(report.errors, key=lambda e: e.line):  # every bad record, by line
        typer.echo(f"{path}: {error}", err=True)
    summary = {
        "read": report.received + len(report.errors) - len(report.failed),
        "added": report.added,
        "duplicates": report.duplicates,
        "conversations_created": report.conversations_created,
        "cases_opened": opened,
        "bad": len(report.errors),
    }
    if report.queued:  # scale-out: in the posts stream; the ingest workers store them
        summary = {**summary, "queued": report.queued}
    if history:
        summary = {**summary, "cases_resolved": resolved}
    typer.echo(json.dumps(summary))
    if report.errors:
        raise typer.Exit(1)


def serve(
    host: Annotated[
        str | None, typer.Option(help="Listen address (default from settings: 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings: 8000).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Web processes.")] = 1,
    db: DbOption = None,
) -> None:
    """Run the web server (API, agent UI, live updates) and the outbox dispatcher."""
    import os

    import uvicorn

    from socialdesk.runtime import prepare_database

    settings = settings_for(db)
    if workers > 1 and not settings.nats_url:
        fail(
            "--workers above 1 needs SOCIALDESK_NATS_URL: live updates, presence and channel leases "
            "reach every web process through NATS (see docs/deploy.md); without it run one web process"
        )
    prepare_database(settings.database_url)
    if db:
        os.environ["SOCIALDESK_DATABASE_URL"] = db
    uvicorn.run(
        "socialdesk.web.factory:app_from_settings",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        # The client address comes from X-Forwarded-For only through SOCIALDESK_TRUSTED_PROXIES
        # (web/client_address.py), never from uvicorn's default trust of 127.0.0.1.
        proxy_headers=False,
    )


def demo(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    rate: Annotated[float | None, typer.Option(help="Posts per minute streamed into the inbox.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generated traffic.")] = 7,
    db: DbOption = None,
) -> None:
    """Set up a demo workspace and admin, then serve the inbox while generated traffic streams in live."""
    from socialdesk.cli.demo_setup import run_demo

    run_demo(settings_for(db), host=host, port=port, rate=rate, seed=seed)


@brands_app.command("add")
def brands_add(
    channel: Annotated[str, typer.Argument(help="x, mastodon, bluesky, ...")],
    handle: Annotated[str, typer.Argument(help="The brand's own handle on that channel.")],
    workspace: WorkspaceOption = "default",
    db: DbOption = None,
) -> None:
    """Register one of the brand's own accounts: its posts are outbound replies, never new conversations."""
    from socialdesk.actions.accounts import ensure_workspace
    from socialdesk.actions.brand_accounts import check_add_brand_account
    from socialdesk.domain.errors import DomainError
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    try:
        with runtime.uow() as uow:
            ws = ensure_workspace(uow, workspace)
            account = check_add_brand_account(uow, ws.id, channel, handle)
    except DomainError as exc:
        fail(str(exc))
    typer.echo(f"brand account {account.channel}:@{account.handle} in workspace {ws.slug}")
