"""CLI for incidents: `incidents detect`, `evaluate incidents` and `bench incidents`."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from socialdesk.cli.options import subgroup

if TYPE_CHECKING:
    from socialdesk.domain.post import Post

FORMATS = ("jsonl", "twcs", "airline")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _note(message: str) -> None:
    typer.echo(f"note: {message}", err=True)


def _read_posts(path: str, fmt: str | None) -> tuple[list[Post], list[str]]:
    """The posts of a file (or stdin for ``-``) and one message per bad record, as ingest reads them;
    a post read before (same channel and id) is left out, with a note on stderr."""
    from socialdesk.ingest.readers import ReadContext, guess_format, read_records
    from socialdesk.ingest.validate import PostError

    try:
        chosen = fmt or ("jsonl" if path == "-" else guess_format(path))
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    if chosen not in FORMATS:
        raise _fail(f"--format {chosen!r}: expected one of {', '.join(FORMATS)}")
    if path != "-" and not Path(path).is_file():
        raise _fail(f"{path}: no such file")
    context = ReadContext()
    posts: list[Post] = []
    errors: list[str] = []
    first_line: dict[tuple[str, str], int] = {}
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    try:
        for line, record in read_records(stream, chosen, context):
            if isinstance(record, PostError):
                errors.append(f"{path}: {record}")
            elif (record.channel, record.id) in first_line:
                seen = first_line[(record.channel, record.id)]
                again = f"post {record.id!r} on {record.channel} again (first on line {seen}): skipped"
                _note(f"{path}: line {line}: {again}")
            elif (record.channel, record.author.handle) not in context.brand_handles:  # brand replies
                first_line[(record.channel, record.id)] = line
                posts.append(record)
    except ValueError as exc:  # a CSV without the columns it needs
        raise _fail(f"{path}: {exc}") from exc
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return posts, errors


def detect(
    input_path: Annotated[str, typer.Option("--input", "-i", help="Posts JSONL (as for ingest), or -.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl, twcs or airline (default: from the file name).")
    ] = None,
    monitors: Annotated[
        Path | None,
        typer.Option("--monitors", "-m", help="YAML or JSON list of {name, query}: also detect per monitor."),
    ] = None,
) -> None:
    """Replay posts in time order through the incident detector: one JSON line per incident.

    Each line: id, detected_at (the created_at of the post at which it fired), posts (every member,
    later ones included), summary, keywords, and more (docs/incidents.md). Bad records go to stderr as
    `FILE: line N: why` and the rest are read; exit status 1 when some were bad.
    """
    from socialdesk.domain.incidents.detector import IncidentDetector, detector_post
    from socialdesk.domain.incidents.events import IncidentOpened
    from socialdesk.domain.incidents.incident import Incident

    match = _monitor_matcher(monitors) if monitors is not None else None
    posts, errors = _read_posts(input_path, fmt)
    out_of_order = sum(1 for a, b in itertools.pairwise(posts) if b.created_at < a.created_at)
    if out_of_order:
        _note(
            f"{input_path}: posts were not in time order ({out_of_order} stepped back in time); "
            "replayed sorted by created_at (posts of the same instant in file order)"
        )
        posts.sort(key=lambda p: p.created_at)  # stable
    detector = IncidentDetector()
    incidents: list[Incident] = []
    for post in posts:
        names = match(post) if match is not None else ()
        for event in detector.feed(detector_post(post, names)):
            if isinstance(event, IncidentOpened):
                incidents.append(event.incident)
    detector.flush()
    for error in errors:
        typer.echo(error, err=True)
    for incident in incidents:
        typer.echo(json.dumps(incident.as_record(), ensure_ascii=False))
    if errors:
        raise typer.Exit(1)


def _monitor_matcher(path: Path) -> Callable[[Post], tuple[str, ...]]:
    """The names of the monitors of `path` a post matches (the compiled matcher of `socialdesk match`)."""
    from socialdesk.cli.match_stream import MonitorFileError, read_monitors
    from socialdesk.listening import MatchablePost, MonitorQueryError, compile_monitors

    if not path.is_file():
        raise _fail(f"monitors file not found: {path}")
    try:
        matcher = compile_monitors(read_monitors(path))
    except MonitorFileError as exc:
        raise _fail(f"{path}: {exc}") from exc
    except MonitorQueryError as exc:
        raise _fail(str(exc)) from exc

    def names(post: Post) -> tuple[str, ...]:
        seen = MatchablePost(
            text=post.text,
            author_handle=post.author.handle,
            lang=post.lang,
            channel=post.channel,
            followers=post.author.followers,
            verified=post.author.verified,
            is_repost=post.is_repost,
            is_reply=post.in_reply_to is not None,
        )
        return tuple(matcher.match(seen))

    return names


def evaluate_incidents(
    seeds: Annotated[str, typer.Option("--seeds", help="Comma-separated seeds: one replayed day each.")] = (
        "1,2,3,4,5"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole report as JSON.")] = False,
) -> None:
    """Replay TWCS days with injected bursts and decoys: detection delay, membership recall and
    precision, false incidents per day (docs/incidents.md)."""
    from socialdesk.training.datasets import DataMissingError
    from socialdesk.training.incidents_eval import evaluate_cold_start, format_cold_start, format_report
    from socialdesk.training.incidents_eval import evaluate_incidents as run

    try:
        chosen = [int(s) for s in seeds.split(",") if s.strip()]
    except ValueError as exc:
        raise _fail(f"--seeds takes comma-separated numbers, got {seeds!r}") from exc
    if not chosen:
        raise _fail("--seeds names no seed")
    try:
        report = run(chosen)
        report["cold_start"] = evaluate_cold_start(chosen)
    except DataMissingError as exc:
        typer.echo(f"skipped: {exc}", err=True)
        return
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        typer.echo(format_report(report) + "\n" + format_cold_start(report["cold_start"]))


def bench_incidents(
    seeds: Annotated[int, typer.Option("--days", help="Replayed days to time (seeds 1..N).")] = 3,
) -> None:
    """Posts/s of the incident detector on the replay, beside the brute-force reference detector and
    the text signature alone, in the same run (JSON)."""
    from socialdesk.bench.incidents import run
    from socialdesk.training.datasets import DataMissingError

    if seeds < 1:
        raise _fail("--days must be at least 1")
    try:
        figures = run(seeds)
    except DataMissingError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(json.dumps(figures, indent=2))


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    incidents_app = typer.Typer(help="Incidents: spikes of similar problem reports, found as posts arrive.")
    app.add_typer(incidents_app, name="incidents")
    incidents_app.command("detect")(detect)
    evaluate_app = subgroup(app, "evaluate", "Evaluate the triage models, or `evaluate incidents`.")
    evaluate_app.command("incidents")(evaluate_incidents)
    bench_app.command("incidents")(bench_incidents)
