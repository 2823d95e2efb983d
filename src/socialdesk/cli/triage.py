"""CLI for the triage room: `classify`, `train`, `evaluate`, and `bench triage`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from socialdesk.cli.options import subgroup

EVALUATE_HELP = "Evaluate: the triage models (with no subcommand), or `evaluate incidents`."


class PostError(ValueError):
    """A normalized-post line cannot be triaged."""


def parse_post(line: str) -> dict[str, Any]:
    """The fields `classify` reads from a line; raise PostError with a reason.

    A normalized post (docs/post-format.md) works, and so does a bare record: only ``text`` is needed.
    ``id`` is written back as given (a number stays a number); ``author`` may be an object (``handle``,
    ``followers``) or a handle, or the flat ``author_handle`` and ``followers``; ``lang``; ``is_reply``
    or ``in_reply_to``.
    """
    try:
        post = json.loads(line)
    except json.JSONDecodeError as exc:
        raise PostError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(post, dict):
        raise PostError("expected a JSON object (a post with at least a 'text')")
    if isinstance(post.get("id"), dict | list):
        raise PostError("'id' must be a string or a number")
    if not isinstance(post.get("text"), str):
        raise PostError("'text' must be a string")
    author = post.get("author")
    if isinstance(author, str):
        author = {"handle": author}
    elif author is None:
        author = {"handle": post.get("author_handle"), "followers": post.get("followers")}
    elif not isinstance(author, dict):
        raise PostError("'author' must be an object or a handle")
    handle = author.get("handle")
    if handle is not None and not isinstance(handle, str):
        raise PostError("'author.handle' must be a string")
    followers = author.get("followers")
    if followers is not None and (not isinstance(followers, int) or isinstance(followers, bool)):
        raise PostError("'author.followers' must be an integer")
    lang = post.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise PostError("'lang' must be a string")
    is_reply = post.get("is_reply")
    if is_reply is not None and not isinstance(is_reply, bool):
        raise PostError("'is_reply' must be true or false")
    return {
        "id": post.get("id"),
        "text": post["text"],
        "lang": lang,
        "is_reply": bool(post.get("in_reply_to")) if is_reply is None else is_reply,
        "handle": handle,
        "followers": followers,
    }


def _lines(handle: IO[str]) -> Iterator[tuple[int, str]]:
    for lineno, line in enumerate(handle, start=1):
        if line.strip():
            yield lineno, line


BATCH = 256  # posts triaged together (`Triager.triage_many`), as ingest does


def run_classify(source: IO[str], out: IO[str], err: IO[str], model: str = "default") -> int:
    """Triage each post line; bad lines are reported on `err` with their number. Returns the exit code.

    `model` is "default" (the packaged linear model) or "ml" (the optional static-embedding model).
    Output lines keep the input's order.
    """
    from socialdesk.triage import Triager, TriageRequest

    if model == "ml":
        from socialdesk.triage.embed_model import load_ml_model

        triager = Triager(load_ml_model())
    else:
        triager = Triager()
    failures = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        requests = [
            TriageRequest(
                p["text"],
                lang_hint=p["lang"],
                is_reply=p["is_reply"],
                author_handle=p["handle"],
                followers=p["followers"],
            )
            for p in batch
        ]
        for post, result in zip(batch, triager.triage_many(requests), strict=True):
            out.write(json.dumps({"id": post["id"], **result.to_dict()}, ensure_ascii=False) + "\n")
        batch.clear()

    for lineno, line in _lines(source):
        try:
            batch.append(parse_post(line))
        except PostError as exc:
            failures += 1
            flush()  # the lines before it come out first
            err.write(f"line {lineno}: {exc}\n")
            continue
        if len(batch) >= BATCH:
            flush()
    flush()
    if failures:
        err.write(f"{failures} line(s) could not be classified\n")
    return 1 if failures else 0


def _evaluate(
    quick: bool,
    model_dir: Path | None,
    as_json: bool,
    ml: bool,
    ml_model_dir: Path | None,
    minilm: bool,
    care: bool,
    care_model_dir: Path | None,
    fairness: bool,
    parity_set: Path | None,
) -> None:
    from dataclasses import asdict

    from socialdesk.training.datasets import DataMissingError
    from socialdesk.training.evaluate import LeakageError, format_table
    from socialdesk.training.evaluate import evaluate as run_evaluate
    from socialdesk.training.parity import ParitySetError, fairness_report

    def say(msg: str) -> None:
        if sys.stderr.isatty():
            typer.echo(f"... {msg}", err=True)

    if fairness:
        try:
            report = fairness_report(parity_set, model_dir, as_json=as_json)
        except ParitySetError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(report)
        return
    try:
        rows = run_evaluate(
            model_dir=model_dir,
            quick=quick,
            progress=say,
            ml=ml,
            ml_model_dir=ml_model_dir,
            minilm=minilm,
            care=care,
            care_model_dir=care_model_dir,
        )
    except (LeakageError, DataMissingError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps([asdict(r) for r in rows], indent=2) if as_json else format_table(rows))
    try:
        typer.echo(fairness_report(parity_set, model_dir, as_json=as_json, invariance=False))
    except ParitySetError as exc:
        typer.echo(f"(language parity not reported: {exc})", err=True)


def _train_care(out: Path | None, with_feedback: Path | None) -> None:
    from socialdesk.training.datasets import DataMissingError
    from socialdesk.training.embed_minilm import MLMissingError
    from socialdesk.training.train_care import train_care

    if with_feedback is not None:
        typer.echo("error: --with-feedback is not supported with --model care yet", err=True)
        raise typer.Exit(2)
    try:
        meta = train_care(out)
    except (DataMissingError, MLMissingError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps({k: meta[k] for k in ("trained_on", "rows", "config")}, indent=2))


def _train_ml(out: Path | None, limit: int | None, with_feedback: Path | None) -> None:
    from socialdesk.training.datasets import DataMissingError
    from socialdesk.training.embed_minilm import MLMissingError
    from socialdesk.training.train_ml import MLConfig, train_ml

    if with_feedback is not None:
        typer.echo("error: --with-feedback is not supported with --model ml yet", err=True)
        raise typer.Exit(2)
    try:
        meta = train_ml(MLConfig(limit=limit), out)
    except (DataMissingError, MLMissingError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    keys = ("trained_on", "embedding_vocabulary_size", "sparse_feature_count", "label_counts")
    typer.echo(json.dumps({k: meta[k] for k in (*keys, "weights_content_sha256")}, indent=2))


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command()
    def classify(
        input_path: Annotated[
            str, typer.Option("--input", "-i", help="Posts JSONL (at least a text per line), or - for stdin.")
        ],
        model: Annotated[
            str,
            typer.Option(
                "--model",
                help="default (linear model) or ml (static embedding distilled from MiniLM; numpy only).",
            ),
        ] = "default",
    ) -> None:
        """Triage posts: one JSON line per post (needs_reply, category, sentiment, urgency, private data)."""
        if model not in {"default", "ml"}:
            typer.echo(f"error: --model must be default or ml, got {model!r}", err=True)
            raise typer.Exit(2)
        if input_path == "-":
            code = run_classify(sys.stdin, sys.stdout, sys.stderr, model)
        else:
            path = Path(input_path)
            if not path.is_file():
                typer.echo(f"error: input file not found: {path}", err=True)
                raise typer.Exit(2)
            with path.open(encoding="utf-8") as fh:
                code = run_classify(fh, sys.stdout, sys.stderr, model)
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
        model: Annotated[
            str,
            typer.Option(
                "--model",
                help="default, ml (needs the ml extra, it distils MiniLM; no feedback), or care (the "
                "second stage's heads over MiniLM sentence embeddings; needs the ml extra).",
            ),
        ] = "default",
    ) -> None:
        """Retrain the triage model from the shared data and write the artefact."""
        from socialdesk.training.datasets import DataMissingError
        from socialdesk.training.feedback import FeedbackError
        from socialdesk.training.train import TrainConfig
        from socialdesk.training.train import train as run_train

        if model not in {"default", "ml", "care"}:
            typer.echo(f"error: --model must be default, ml or care, got {model!r}", err=True)
            raise typer.Exit(2)
        if model == "care":
            _train_care(out, with_feedback)
            return
        if model == "ml":
            _train_ml(out, limit, with_feedback)
            return
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

    evaluate_app = subgroup(app, "evaluate", EVALUATE_HELP)

    @evaluate_app.callback(invoke_without_command=True)
    def evaluate(
        ctx: typer.Context,
        quick: Annotated[bool, typer.Option("--quick", help="3 folds instead of 10 (5 for TWCS).")] = False,
        model_dir: Annotated[
            Path | None,
            typer.Option("--model-dir", help="Evaluate this artefact instead of the packaged one."),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print rows as JSON instead of a table.")
        ] = False,
        ml: Annotated[bool, typer.Option("--ml/--no-ml", help="Fill the optional-ML-model column.")] = True,
        ml_model_dir: Annotated[
            Path | None,
            typer.Option(
                "--ml-model-dir", help="Evaluate this ML-model artefact instead of the packaged one."
            ),
        ] = None,
        minilm: Annotated[
            bool,
            typer.Option("--minilm", help="Add the full-MiniLM reference column (needs the ml extra)."),
        ] = False,
        care: Annotated[
            bool,
            typer.Option("--care/--no-care", help="Fill the care-stage column (needs the ml extra)."),
        ] = True,
        care_model_dir: Annotated[
            Path | None,
            typer.Option(
                "--care-model-dir", help="Evaluate this care-stage artefact instead of the packaged one."
            ),
        ] = None,
        fairness: Annotated[
            bool,
            typer.Option(
                "--fairness",
                help="Only the language parity and fairness figures on the parity set (no accuracy runs).",
            ),
        ] = False,
        parity_set: Annotated[
            Path | None,
            typer.Option(
                "--parity-set",
                help="Parity set JSONL (default: tests/triage/data/parity/eval.jsonl of the checkout).",
            ),
        ] = None,
    ) -> None:
        """Accuracy / macro-F1 / macro-recall: default and optional ML models, VADER, published figures.

        Then the language parity of the evaluation set (`--fairness` prints only that, with the
        follower-count invariance check).
        """
        if ctx.invoked_subcommand is not None:  # `socialdesk evaluate incidents` and the like
            return
        _evaluate(
            quick, model_dir, as_json, ml, ml_model_dir, minilm, care, care_model_dir, fairness, parity_set
        )

    @bench_app.command("triage")
    def bench_triage(
        posts: Annotated[int, typer.Option("--posts", help="Number of posts per timed run.")] = 20000,
        repeats: Annotated[int, typer.Option("--repeats", help="Timed runs; the median is reported.")] = 3,
        ml: Annotated[bool, typer.Option("--ml", help="Also time the optional [ml] model.")] = False,
        care: Annotated[
            str,
            typer.Option(
                "--care", help="Time the second (care) stage: auto (when installed), on (required) or off."
            ),
        ] = "auto",
        care_posts: Annotated[
            int, typer.Option("--care-posts", help="Posts the second stage is timed on per run.")
        ] = 512,
    ) -> None:
        """Posts/s of the whole triage step and of the plain VADER lexicon on the same posts."""
        from socialdesk.bench.triage import run_bench
        from socialdesk.training.datasets import DataMissingError
        from socialdesk.triage.care_model import CareModelError

        try:
            figures = run_bench(posts, repeats, ml=ml, care=care, care_posts=care_posts)
        except (DataMissingError, CareModelError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(json.dumps(figures, indent=2))
