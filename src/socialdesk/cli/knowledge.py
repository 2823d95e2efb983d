"""CLI for the knowledge base: `kb import`, `kb suggest`, and `bench kb`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from socialdesk.cli.options import DbOption, WorkspaceOption, fail, settings_for, subgroup

kb_app = typer.Typer(
    help="Knowledge base: import articles, suggest articles for posts.", no_args_is_help=True
)


def _cli_admin(workspace_id: int) -> Any:
    from socialdesk.domain.people import Role, User

    return User(id=0, workspace_id=workspace_id, email="cli@localhost", name="cli", role=Role.ADMIN)


def _lines(path: str) -> Any:
    if path == "-":
        return sys.stdin.buffer
    if not Path(path).is_file():
        fail(f"{path}: no such file")
    return open(path, "rb")


@kb_app.command("import")
def kb_import(
    path: Annotated[str, typer.Argument(help="JSONL of articles, or - for stdin.")],
    workspace: WorkspaceOption = "default",
    state: Annotated[
        str,
        typer.Option(
            "--state",
            help="State of new articles: published (default: an import is an admin's act) or draft.",
        ),
    ] = "published",
    db: DbOption = None,
) -> None:
    """Load articles, idempotent by id: a new id is added, a changed one gets a new version, the same
    content changes nothing. Prints a JSON summary; bad lines go to stderr with their line number."""
    from socialdesk.actions.accounts.users import ensure_workspace
    from socialdesk.actions.knowledge.articles import check_import_articles
    from socialdesk.domain.errors import DomainError
    from socialdesk.domain.knowledge import ArticleState
    from socialdesk.knowledge.records import parse_lines
    from socialdesk.runtime import build_runtime

    if state not in ("published", "draft"):
        fail(f"--state {state!r}: expected published or draft")
    stream = _lines(path)
    runtime = build_runtime(settings_for(db))
    try:
        with runtime.uow() as uow:  # the workspace is kept whatever becomes of the import
            ws = ensure_workspace(uow, workspace)
        with runtime.uow() as uow:
            report = check_import_articles(
                uow, _cli_admin(ws.id), parse_lines(stream), ArticleState(state), runtime.clock.now()
            )
    except DomainError as exc:
        fail(str(exc))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
        runtime.close()
    for error in report.errors:
        typer.echo(f"{path}: {error}", err=True)
    typer.echo(json.dumps(report.summary()))
    if report.errors:
        raise typer.Exit(1)


def _read_posts(path: str) -> tuple[list[Any], list[Any], list[str]]:
    """(ids as given, queries, errors by line) from a JSONL of posts with at least `id` and `text`."""
    from socialdesk.actions.knowledge.suggest import Query

    ids: list[Any] = []
    queries: list[Query] = []
    errors: list[str] = []
    stream = _lines(path)
    try:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                errors.append(f"line {number}: not JSON: {exc}")
                continue
            if not isinstance(obj, dict):
                errors.append(f"line {number}: expected a JSON object")
                continue
            if "id" not in obj or not isinstance(obj["id"], str | int | float) or isinstance(obj["id"], bool):
                errors.append(f"line {number}: id: missing, or not a string or number")
                continue
            text = obj.get("text")
            if not isinstance(text, str):
                errors.append(f"line {number}: text: missing, or not a string")
                continue
            lang = obj.get("lang")
            ids.append(obj["id"])
            queries.append(Query(text, lang if isinstance(lang, str) and lang else None))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return ids, queries, errors


@kb_app.command("suggest")
def kb_suggest(
    input_path: Annotated[
        str, typer.Option("--input", help="Posts JSONL ({id, text, lang?}), or - for stdin.")
    ],
    workspace: WorkspaceOption = "default",
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="Suggestions per post.")] = 3,
    db: DbOption = None,
) -> None:
    """One JSON line per post, in input order: {"id", "suggestions": [{"article", "score", "title"}]}.
    Only published articles are suggested, in the post's language where there are articles in it."""
    from socialdesk.actions.knowledge.suggest import ArticleIndexes, suggest
    from socialdesk.runtime import build_runtime

    ids, queries, errors = _read_posts(input_path)
    if errors:
        for error in errors:
            typer.echo(f"{input_path}: {error}", err=True)
        fail(f"{input_path}: {len(errors)} bad line(s), nothing suggested")
    runtime = build_runtime(settings_for(db))
    try:
        with runtime.read_uow() as uow:
            ws = uow.workspaces.get_by_slug(workspace)
            if ws is None:
                fail(f"workspace {workspace!r}: not found")
            rows = suggest(uow, ArticleIndexes(), ws.id, queries, top)
    finally:
        runtime.close()
    out = sys.stdout
    for post_id, row in zip(ids, rows, strict=True):
        suggestions = [{"article": s.key, "score": round(s.score, 6), "title": s.title} for s in row]
        out.write(json.dumps({"id": post_id, "suggestions": suggestions}, ensure_ascii=False) + "\n")
    out.flush()


def evaluate_kb(
    quick: Annotated[
        bool, typer.Option("--quick", help="2 seeds instead of 5, the weights tuned on 1 instead of 3.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print rows as JSON instead of a table.")] = False,
) -> None:
    """Recall@1 and recall@3 of article suggestions on BANKING77 and TWCS, with the TF-IDF baseline
    scored and timed in the same run (docs/knowledge.md#quality)."""
    from socialdesk.config import one_blas_thread

    one_blas_thread()  # queries/s per core, as bench kb measures them
    from socialdesk.training.datasets import DataMissingError
    from socialdesk.training.evaluate_kb import as_dicts, format_kb_table
    from socialdesk.training.evaluate_kb import evaluate_kb as run

    def say(msg: str) -> None:
        if sys.stderr.isatty():
            typer.echo(f"... {msg}", err=True)

    try:
        rows = run(quick=quick, progress=say)
    except DataMissingError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(as_dicts(rows), indent=2) if as_json else format_kb_table(rows))


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")
    evaluate_app = subgroup(app, "evaluate", "Evaluate the triage models, or `evaluate incidents`.")
    evaluate_app.command("kb")(evaluate_kb)

    @bench_app.command("kb")
    def bench_kb(
        articles: Annotated[int, typer.Option("--articles", min=1, help="Articles in the index.")] = 10_000,
        queries: Annotated[int, typer.Option("--queries", min=1, help="Queries per timed run.")] = 2_000,
        repeats: Annotated[int, typer.Option("--repeats", min=1, help="Timed runs; the best is kept.")] = 3,
    ) -> None:
        """Suggestions/s on one core with N articles, and the TF-IDF baseline's on the same queries."""
        from socialdesk.bench.knowledge import run_bench

        typer.echo(json.dumps(run_bench(articles, queries, repeats), indent=2))
