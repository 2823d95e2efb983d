"""CLI for the listening room: `match` (posts against monitors) and `bench match`."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path
from typing import Annotated

import typer


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def match(
    monitors: Annotated[Path, typer.Option("--monitors", "-m", help="YAML or JSON list of {name, query}.")],
    input_path: Annotated[str, typer.Option("--input", "-i", help="Posts JSONL (id, text...) or -.")],
) -> None:
    """Match posts against monitors: one line per post, {"id": ..., "monitors": [names, sorted]}.

    A bad monitor query stops before any output (exit 2) with the monitor's name and the column. Each
    input line is a JSON object with at least ``text`` (a normalized post, or just ``{"id", "text"}``
    and the fields monitors look at); the id is written back as given. A line that is not JSON or has
    no text is reported on stderr with its number and skipped; the command then exits 1.
    """
    if not monitors.is_file():
        raise _fail(f"monitors file not found: {monitors}")
    # The posts and results are acyclic and freed as they go: the cycle collector would only rescan the
    # compiled monitors again and again, for nothing (about a tenth of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        code = _match(monitors, input_path)
    finally:
        if collecting:
            gc.enable()
    raise typer.Exit(code)


def _match(monitors: Path, input_path: str) -> int:
    from socialdesk.cli.match_stream import MonitorFileError, read_monitors, run_match
    from socialdesk.config import Settings
    from socialdesk.listening import MonitorQueryError, compile_monitors

    try:
        native = None if Settings().native_matcher else False
        matcher = compile_monitors(read_monitors(monitors), native=native)
    except MonitorFileError as exc:
        raise _fail(f"{monitors}: {exc}") from exc
    except MonitorQueryError as exc:
        raise _fail(str(exc)) from exc
    if input_path == "-":
        return run_match(matcher, sys.stdin, sys.stdout, sys.stderr)
    path = Path(input_path)
    if not path.is_file():
        raise _fail(f"input file not found: {path}")
    with path.open(encoding="utf-8") as source:
        return run_match(matcher, source, sys.stdout, sys.stderr)


def bench_match(
    posts: Annotated[int, typer.Option("--posts", help="Generated posts to match.")] = 200_000,
    monitors: Annotated[
        str, typer.Option("--monitors", help="Comma-separated monitor counts, one measurement each.")
    ] = "1000,10000",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated monitors and posts.")] = 7,
    cli: Annotated[
        bool,
        typer.Option("--cli/--no-cli", help="Also time `socialdesk match` end to end (JSON in and out)."),
    ] = True,
) -> None:
    """Compiled matcher vs reference evaluator, and `socialdesk match` end to end: posts/s, ratios,
    memory, compile time (JSON)."""
    from socialdesk.bench.match import run

    try:
        counts = [int(part) for part in monitors.split(",") if part.strip()]
    except ValueError as exc:
        raise _fail(f"--monitors takes comma-separated numbers, got {monitors!r}") from exc
    if posts < 1 or not counts or min(counts) < 1:
        raise _fail("--posts and --monitors must be positive")
    typer.echo(json.dumps(run(posts=posts, monitor_counts=counts, seed=seed, cli=cli), indent=2))


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("match")(match)
    bench_app.command("match")(bench_match)
