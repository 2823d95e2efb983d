"""CLI for the listening room: `match` (posts against monitors) and `bench match`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer
import yaml

from socialdesk.config import Settings
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


_KIND_NAMES = {str: "a string", int: "an integer", bool: "true or false"}


def _field(data: dict[str, Any], name: str, kind: type, default: Any, line: int) -> Any:
    """``data[name]`` when it has the expected type (None and a missing key give ``default``)."""
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
        raise ValueError(f"line {line}: {name}: expected {_KIND_NAMES[kind]}, got {json.dumps(value)[:40]}")
    return value


def matchable(data: Any, line: int) -> tuple[Any, MatchablePost] | str:
    """The post's id (as written) and what monitors see of it, or what is wrong with the record.

    Only ``text`` is required. A normalized post (docs/post-format.md) is read as ingest reads it, and
    so is a bare record: ``{"id": 7, "text": "..."}``, ``author`` as an object (``handle``,
    ``followers``, ``verified``) or as a handle, or the flat ``author_handle``/``followers``/``verified``;
    ``lang``, ``channel``, ``is_repost`` (or ``repost_of``), ``is_reply`` (or ``in_reply_to``). Keys it
    does not use are ignored; a key it uses with a value of the wrong type is reported.
    """
    if not isinstance(data, dict):
        return f"line {line}: expected a JSON object, got {type(data).__name__}"
    try:
        text = data.get("text")
        if not isinstance(text, str):
            return f"line {line}: text: is required (a string)"
        author = data.get("author")
        facts = data
        if isinstance(author, dict):
            facts = {**data, **author}
            handle = _field(author, "handle", str, "", line)
        elif isinstance(author, str):
            handle = author
        elif author is None:
            handle = _field(data, "author_handle", str, "", line)
        else:
            return f"line {line}: author: expected an object or a handle"
        followers = _field(facts, "followers", int, None, line)
        verified = _field(facts, "verified", bool, False, line)
        repost = _field(data, "is_repost", bool, None, line)
        reply = _field(data, "is_reply", bool, None, line)
        return data.get("id"), MatchablePost(
            text=text,
            author_handle=handle,
            lang=_field(data, "lang", str, None, line),
            channel=_field(data, "channel", str, "", line),
            followers=followers,
            verified=verified,
            is_repost=bool(data.get("repost_of")) if repost is None else repost,
            is_reply=data.get("in_reply_to") not in (None, "") if reply is None else reply,
        )
    except ValueError as exc:
        return str(exc)


def _records(source: IO[str], err: IO[str]) -> Iterator[tuple[Any, MatchablePost] | None]:
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


def _flush(matcher: CompiledMatcher[str], batch: list[tuple[Any, MatchablePost]], out: IO[str]) -> None:
    for (post_id, _), names in zip(batch, matcher.match_many(post for _, post in batch), strict=True):
        out.write(json.dumps({"id": post_id, "monitors": names}, ensure_ascii=False) + "\n")
    batch.clear()


def run_match(matcher: CompiledMatcher[str], source: IO[str], out: IO[str], err: IO[str]) -> int:
    """Write one line per good post; report bad lines on ``err`` and go on. Returns the exit code."""
    failures = 0
    batch: list[tuple[Any, MatchablePost]] = []
    for record in _records(source, err):
        if record is None:
            failures += 1
            continue
        batch.append(record)
        if len(batch) >= BATCH:
            _flush(matcher, batch, out)
    _flush(matcher, batch, out)
    if failures:
        err.write(f"error: {failures} line(s) skipped because they are not valid posts\n")
    return 1 if failures else 0


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
    try:
        native = None if Settings().native_matcher else False
        matcher = compile_monitors(load_monitors(monitors.read_text(encoding="utf-8")), native=native)
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
