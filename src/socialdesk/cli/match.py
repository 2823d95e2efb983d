"""CLI for the listening room: `match` (posts against monitors) and `bench match`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer
import yaml

from socialdesk.listening import CompiledMatcher, MatchablePost, MonitorQueryError, compile_monitors

BATCH = 1000


class MonitorFileError(ValueError):
    """The monitors file is not a list of {name, query}."""


def load_monitors(text: str) -> list[tuple[str, str]]:
    """(name, query) pairs from YAML or JSON text: a list of mappings with ``name`` and ``query``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MonitorFileError(f"not valid YAML or JSON ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, list):
        raise MonitorFileError("expected a list of monitors, each with a name and a query")
    monitors: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise MonitorFileError(f"monitor {number} is not a mapping with a name and a query")
        name, query = item.get("name"), item.get("query")
        if not isinstance(name, str) or not name:
            raise MonitorFileError(f"monitor {number} needs a 'name' (a non-empty string)")
        if not isinstance(query, str):
            raise MonitorFileError(f"monitor {name!r} needs a 'query' (a string)")
        if name in seen:
            raise MonitorFileError(f"monitor name {name!r} is used twice")
        seen.add(name)
        monitors.append((name, query))
    return monitors


def matchable(data: Any, line: int) -> tuple[str, MatchablePost] | str:
    """The post's id and what monitors see of it, or what is wrong with the record."""
    from socialdesk.ingest.validate import PostError, post_from_dict

    post = post_from_dict(data, line)
    if isinstance(post, PostError):
        return str(post)
    return post.id, MatchablePost(
        text=post.text,
        author_handle=post.author.handle,
        lang=post.lang,
        channel=post.channel,
        followers=post.author.followers,
        verified=post.author.verified,
        is_repost=post.is_repost,
        is_reply=post.in_reply_to is not None,
    )


def _records(source: IO[str], err: IO[str]) -> Iterator[tuple[str, MatchablePost] | None]:
    """Each non-blank line as (id, post), or None after reporting what is wrong on ``err``."""
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            err.write(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})\n")
            yield None
            continue
        record = matchable(data, number)
        if isinstance(record, str):
            err.write(record + "\n")
            yield None
        else:
            yield record


def _flush(matcher: CompiledMatcher[str], batch: list[tuple[str, MatchablePost]], out: IO[str]) -> None:
    for (post_id, _), names in zip(batch, matcher.match_many(post for _, post in batch), strict=True):
        out.write(json.dumps({"id": post_id, "monitors": names}, ensure_ascii=False) + "\n")
    batch.clear()


def run_match(matcher: CompiledMatcher[str], source: IO[str], out: IO[str], err: IO[str]) -> int:
    """Write one line per good post; report bad lines on ``err`` and go on. Returns the exit code."""
    failures = 0
    batch: list[tuple[str, MatchablePost]] = []
    for record in _records(source, err):
        if record is None:
            failures += 1
            continue
        batch.append(record)
        if len(batch) >= BATCH:
            _flush(matcher, batch, out)
    _flush(matcher, batch, out)
    if failures:
        err.write(f"error: {failures} line(s) skipped because they are not valid normalized posts\n")
    return 1 if failures else 0


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def match(
    monitors: Annotated[Path, typer.Option("--monitors", "-m", help="YAML or JSON list of {name, query}.")],
    input_path: Annotated[str, typer.Option("--input", "-i", help="Normalized posts JSONL, or - for stdin.")],
) -> None:
    """Match posts against monitors: one line per post, {"id": ..., "monitors": [names, sorted]}.

    A bad monitor query stops before any output (exit 2) with the monitor's name and the column. A line
    that is not a valid normalized post is reported on stderr with its number and skipped; the command
    then exits 1 after matching the rest.
    """
    if not monitors.is_file():
        raise _fail(f"monitors file not found: {monitors}")
    try:
        matcher = compile_monitors(load_monitors(monitors.read_text(encoding="utf-8")))
    except MonitorFileError as exc:
        raise _fail(f"{monitors}: {exc}") from exc
    except MonitorQueryError as exc:
        raise _fail(str(exc)) from exc
    if input_path == "-":
        code = run_match(matcher, sys.stdin, sys.stdout, sys.stderr)
    else:
        path = Path(input_path)
        if not path.is_file():
            raise _fail(f"input file not found: {path}")
        with path.open(encoding="utf-8") as source:
            code = run_match(matcher, source, sys.stdout, sys.stderr)
    raise typer.Exit(code)


def bench_match(
    posts: Annotated[int, typer.Option("--posts", help="Generated posts to match.")] = 200_000,
    monitors: Annotated[
        str, typer.Option("--monitors", help="Comma-separated monitor counts, one measurement each.")
    ] = "1000,10000",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated monitors and posts.")] = 7,
) -> None:
    """Compiled matcher vs reference evaluator: posts/s, ratio, memory, compile time (JSON)."""
    from socialdesk.bench.match import run

    try:
        counts = [int(part) for part in monitors.split(",") if part.strip()]
    except ValueError as exc:
        raise _fail(f"--monitors takes comma-separated numbers, got {monitors!r}") from exc
    if posts < 1 or not counts or min(counts) < 1:
        raise _fail("--posts and --monitors must be positive")
    typer.echo(json.dumps(run(posts=posts, monitor_counts=counts, seed=seed), indent=2))


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("match")(match)
    bench_app.command("match")(bench_match)
