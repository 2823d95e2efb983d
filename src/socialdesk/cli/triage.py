"""CLI for the triage room: `classify`, `train`, `evaluate`, and `bench triage`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer


class PostError(ValueError):
    """A normalized-post line cannot be triaged."""


def parse_post(line: str) -> dict[str, Any]:
    """Check the fields `classify` needs from a normalized post; raise PostError with a reason."""
    try:
        post = json.loads(line)
    except json.JSONDecodeError as exc:
        raise PostError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(post, dict):
        raise PostError("expected a JSON object (a normalized post)")
    if not isinstance(post.get("id"), str) or not post["id"]:
        raise PostError("'id' must be a non-empty string")
    if not isinstance(post.get("text"), str):
        raise PostError("'text' must be a string")
    author = post.get("author")
    if author is not None and not isinstance(author, dict):
        raise PostError("'author' must be an object")
    followers = (author or {}).get("followers")
    if followers is not None and (not isinstance(followers, int) or isinstance(followers, bool)):
        raise PostError("'author.followers' must be an integer")
    lang = post.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise PostError("'lang' must be a string")
    return post


def _lines(handle: IO[str]) -> Iterator[tuple[int, str]]:
    for lineno, line in enumerate(handle, start=1):
        if line.strip():
            yield lineno, line


def run_classify(source: IO[str], out: IO[str], err: IO[str]) -> int:
    """Triage each post line; bad lines are reported on `err` with their number. Returns the exit code."""
    from socialdesk.triage import Triager

    triager = Triager()
    failures = 0
    for lineno, line in _lines(source):
        try:
            post = parse_post(line)
        except PostError as exc:
            failures += 1
            err.write(f"line {lineno}: {exc}\n")
            continue
        author = post.get("author") or {}
        result = triager.triage(
            post["text"],
            lang_hint=post.get("lang"),
            is_reply=bool(post.get("in_reply_to")),
            author_handle=author.get("handle"),
            followers=author.get("followers"),
        )
        out.write(json.dumps({"id": post["id"], **result.to_dict()}, ensure_ascii=False) + "\n")
    if failures:
        err.write(f"{failures} line(s) could not be classified\n")
    return 1 if failures else 0


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command()
    def classify(
        input_path: Annotated[
            str, typer.Option("--input", "-i", help="Normalized posts JSONL, or - for stdin.")
        ],
    ) -> None:
        """Triage posts: one JSON line per post (needs_reply, category, sentiment, urgency, private data)."""
        if input_path == "-":
            code = run_classify(sys.stdin, sys.stdout, sys.stderr)
        else:
            path = Path(input_path)
            if not path.is_file():
                typer.echo(f"error: input file not found: {path}", err=True)
                raise typer.Exit(2)
            with path.open(encoding="utf-8") as fh:
                code = run_classify(fh, sys.stdout, sys.stderr)
        raise typer.Exit(code)

    @app.command()
    def train(
        with_feedback: Annotated[
            Path | None,
            typer.Option("--with-feedback", help="JSONL of agent corrections {text, field, label}."),
        ] = None,
        out: Annotated[
            Path | None, typer.Option("--out", help="Artefact folder (default: the packaged model).")
        ] = None,
        limit: Annotated[int | None, typer.Option("--limit", help="Rows per source (smoke runs).")] = None,
    ) -> None:
        """Retrain the triage model from the shared data and write the artefact."""
        from socialdesk.training.datasets import DataMissingError
        from socialdesk.training.feedback import FeedbackError
        from socialdesk.training.train import TrainConfig
        from socialdesk.training.train import train as run_train

        if with_feedback is not None and not with_feedback.is_file():
            typer.echo(f"error: feedback file not found: {with_feedback}", err=True)
            raise typer.Exit(2)
        try:
            meta = run_train(TrainConfig(limit=limit), out, with_feedback)
        except (DataMissingError, FeedbackError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        summary = {
            k: meta[k] for k in ("trained_on", "feature_count", "label_counts", "weights_content_sha256")
        }
        typer.echo(json.dumps(summary, indent=2))

    @app.command()
    def evaluate(
        quick: Annotated[bool, typer.Option("--quick", help="3 folds instead of 10 (5 for TWCS).")] = False,
        model_dir: Annotated[
            Path | None,
            typer.Option("--model-dir", help="Evaluate this artefact instead of the packaged one."),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print rows as JSON instead of a table.")
        ] = False,
    ) -> None:
        """Accuracy / macro-F1 / macro-recall of the default model and VADER beside published figures."""
        from dataclasses import asdict

        from socialdesk.training.datasets import DataMissingError
        from socialdesk.training.evaluate import LeakageError, format_table
        from socialdesk.training.evaluate import evaluate as run_evaluate

        def say(msg: str) -> None:
            if sys.stderr.isatty():
                typer.echo(f"... {msg}", err=True)

        try:
            rows = run_evaluate(model_dir=model_dir, quick=quick, progress=say)
        except (LeakageError, DataMissingError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(json.dumps([asdict(r) for r in rows], indent=2) if as_json else format_table(rows))

    @bench_app.command("triage")
    def bench_triage(
        posts: Annotated[int, typer.Option("--posts", help="Number of posts per timed run.")] = 20000,
        repeats: Annotated[int, typer.Option("--repeats", help="Timed runs; the median is reported.")] = 3,
    ) -> None:
        """Posts/s of the whole triage step and of the plain VADER lexicon on the same posts."""
        from socialdesk.bench.triage import run_bench
        from socialdesk.training.datasets import DataMissingError

        try:
            figures = run_bench(posts, repeats)
        except DataMissingError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(json.dumps(figures, indent=2))
