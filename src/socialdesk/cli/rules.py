"""`socialdesk spam add|list` and `socialdesk feedback export`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from socialdesk.cli.options import DbOption, WorkspaceOption, fail, settings_for

spam_app = typer.Typer(
    help="Workspace-wide spam rules: matching posts never open conversations.", no_args_is_help=True
)
feedback_app = typer.Typer(help="Agents' triage corrections.", no_args_is_help=True)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.add_typer(spam_app, name="spam")
    app.add_typer(feedback_app, name="feedback")


@spam_app.command("add")
def spam_add(
    kind: Annotated[str, typer.Argument(help="term, author or link (a domain).")],
    value: str,
    workspace: WorkspaceOption = "default",
    db: DbOption = None,
) -> None:
    """Add a spam rule."""
    from socialdesk.actions.accounts.users import ensure_workspace
    from socialdesk.actions.listening.rules import check_add_spam_rule
    from socialdesk.domain.errors import DomainError
    from socialdesk.domain.people import Role, User
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    try:
        with runtime.uow() as uow:
            ws = ensure_workspace(uow, workspace)
            admin = User(id=0, workspace_id=ws.id, email="cli@localhost", name="cli", role=Role.ADMIN)
            rule = check_add_spam_rule(uow, admin, kind, value, runtime.clock.now())
    except DomainError as exc:
        fail(str(exc))
    typer.echo(f"spam rule {rule.kind.value}:{rule.value} added")


@spam_app.command("list")
def spam_list(workspace: WorkspaceOption = "default", db: DbOption = None) -> None:
    """One JSON line per spam rule."""
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    with runtime.read_uow() as uow:  # a listing creates nothing: no such workspace lists no rules
        ws = uow.workspaces.get_by_slug(workspace)
        rules = uow.rules.spam_rules(ws.id) if ws is not None else []
    for rule in rules:
        typer.echo(json.dumps({"id": rule.id, "kind": rule.kind.value, "value": rule.value}))


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Path, typer.Option("--out", help="JSONL file for `socialdesk train --with-feedback`.")],
    workspace: Annotated[
        str | None, typer.Option("--workspace", "-w", help="One workspace; all if omitted.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write agents' corrections as {text, field, label} lines."""
    from socialdesk.actions.listening.rules import export_feedback
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    with runtime.uow() as uow:
        ws_id = None
        if workspace is not None:
            found = uow.workspaces.get_by_slug(workspace)
            if found is None:
                fail(f"no workspace {workspace!r}")
            ws_id = found.id
        rows = export_feedback(uow, ws_id)
    with out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(
                json.dumps({"text": row.text, "field": row.field, "label": row.label}, ensure_ascii=False)
                + "\n"
            )
    typer.echo(f"{len(rows)} corrections written to {out}")
