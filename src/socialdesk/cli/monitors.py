"""`socialdesk monitors add|list|edit|pause|resume|delete|test`: manage a workspace's monitors from the
shell (as an admin, audited like the same change in the UI or the API)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from socialdesk.cli.options import DbOption, WorkspaceOption, fail, settings_for

if TYPE_CHECKING:
    from socialdesk.domain.monitor import Monitor
    from socialdesk.domain.people import User
    from socialdesk.runtime import Runtime

monitors_app = typer.Typer(help="Manage monitors (boolean queries over every post).", no_args_is_help=True)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.add_typer(monitors_app, name="monitors")


def _workspace_user(runtime: Runtime, slug: str) -> User:
    """The CLI acts for the workspace as a system admin (it runs with database access already)."""
    from socialdesk.actions.accounts.users import ensure_workspace
    from socialdesk.domain.people import Role, User

    with runtime.uow() as uow:
        ws = ensure_workspace(uow, slug)
    return User(id=0, workspace_id=ws.id, email="cli@localhost", name="cli", role=Role.ADMIN)


@monitors_app.command("add")
def add(
    name: str,
    query: str,
    kind: Annotated[str, typer.Option(help="brand, product, competitor or topic.")] = "brand",
    mode: Annotated[
        str, typer.Option(help="care (opens conversations) or listening (only counted).")
    ] = "care",
    exclude_author: Annotated[
        list[str] | None, typer.Option(help="Never match posts by this handle.")
    ] = None,
    exclude_term: Annotated[list[str] | None, typer.Option(help="Never match posts with this word.")] = None,
    brand: Annotated[
        list[str] | None,
        typer.Option(
            help="A brand account (handle or id; repeat for other networks) that conversations this "
            "monitor opens answer from when the customer addressed none."
        ),
    ] = None,
    workspace: WorkspaceOption = "default",
    db: DbOption = None,
) -> None:
    """Save a monitor; an invalid query is refused with the problem and its column."""
    from socialdesk.actions.listening.monitors import brand_ids_for, check_create_monitor
    from socialdesk.domain.errors import DomainError
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    user = _workspace_user(runtime, workspace)
    try:
        with runtime.uow() as uow:
            monitor = check_create_monitor(
                uow,
                user,
                name=name,
                query=query,
                kind=kind,
                mode=mode,
                exclude_authors=exclude_author or [],
                exclude_terms=exclude_term or [],
                brand_account_ids=brand_ids_for(uow, user, brand or []),
                now=runtime.clock.now(),
            )
    except DomainError as exc:
        fail(str(exc))
    saved = f"monitor {monitor.name!r} ({monitor.kind.value}, {monitor.mode.value}) saved"
    typer.echo(saved + _brands(runtime, monitor))


@monitors_app.command("list")
def list_(workspace: WorkspaceOption = "default", db: DbOption = None) -> None:
    """One JSON line per monitor, with how many posts it has matched."""
    from socialdesk.actions.listening.monitors import list_monitors
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    user = _workspace_user(runtime, workspace)
    with runtime.uow() as uow:
        found = list_monitors(uow, user)
    for item in found:
        m = item.monitor
        typer.echo(
            json.dumps(
                {
                    "name": m.name,
                    "query": m.query,
                    "kind": m.kind.value,
                    "mode": m.mode.value,
                    "active": m.is_active,
                    "brand_account_ids": list(m.brand_account_ids),
                    "matches": item.matches,
                }
            )
        )


def _brands(runtime: Runtime, monitor: Monitor) -> str:
    """`, answering as @A (x), @B (mastodon)` for a monitor that names brand accounts."""
    if not monitor.brand_account_ids:
        return ""
    with runtime.uow() as uow:
        accounts = {b.id: b for b in uow.brands.list(monitor.workspace_id)}
    named = [accounts[i] for i in monitor.brand_account_ids if i in accounts]
    return ", answering as " + ", ".join(f"@{b.handle.lstrip('@')} ({b.channel})" for b in named)


def _change(runtime: Runtime, workspace: str, current: str, changes: dict[str, Any]) -> Monitor:
    from socialdesk.actions.listening.monitors import brand_ids_for, check_update_monitor, monitor_by_name
    from socialdesk.domain.errors import DomainError

    user = _workspace_user(runtime, workspace)
    brands = changes.pop("brands", None)
    try:
        with runtime.uow() as uow:
            if brands is not None:
                changes["brand_account_ids"] = brand_ids_for(uow, user, brands)
            monitor = monitor_by_name(uow, user, current)
            changed = check_update_monitor(uow, user, monitor.id, now=runtime.clock.now(), **changes)
    except DomainError as exc:
        fail(str(exc))
    return changed


@monitors_app.command("edit")
def edit(
    name: Annotated[str, typer.Argument(help="The monitor's current name.")],
    new_name: Annotated[str | None, typer.Option("--name", help="Rename it.")] = None,
    query: Annotated[str | None, typer.Option(help="A new query.")] = None,
    kind: Annotated[str | None, typer.Option(help="brand, product, competitor or topic.")] = None,
    mode: Annotated[str | None, typer.Option(help="care or listening.")] = None,
    exclude_author: Annotated[
        list[str] | None, typer.Option(help="Replace the excluded handles (repeat the option).")
    ] = None,
    exclude_term: Annotated[
        list[str] | None, typer.Option(help="Replace the excluded words (repeat the option).")
    ] = None,
    clear_exclusions: Annotated[bool, typer.Option(help="Exclude no handle and no word.")] = False,
    brand: Annotated[
        list[str] | None,
        typer.Option(
            help="Replace the brand accounts (handle or id; repeat for other networks) that "
            "conversations this monitor opens answer from when the customer addressed none."
        ),
    ] = None,
    no_brand: Annotated[bool, typer.Option(help="Name no brand account.")] = False,
    workspace: WorkspaceOption = "default",
    db: DbOption = None,
) -> None:
    """Change a monitor: what is not given stays as it is. Matches stored so far stay."""
    from socialdesk.runtime import build_runtime

    authors = [] if clear_exclusions else exclude_author
    terms = [] if clear_exclusions else exclude_term
    brands = [] if no_brand else brand
    if all(v is None for v in (new_name, query, kind, mode, authors, terms, brands)):
        fail(
            "nothing to change: give --name, --query, --kind, --mode, --exclude-author, --exclude-term "
            "or --brand"
        )
    runtime = build_runtime(settings_for(db))
    changes = {
        "name": new_name, "query": query, "kind": kind, "mode": mode,
        "exclude_authors": authors, "exclude_terms": terms, "brands": brands,
    }  # fmt: skip
    m = _change(runtime, workspace, name, changes)
    typer.echo(f"monitor {m.name!r} ({m.kind.value}, {m.mode.value}) saved{_brands(runtime, m)}")


@monitors_app.command("pause")
def pause(name: str, workspace: WorkspaceOption = "default", db: DbOption = None) -> None:
    """Stop a monitor matching new posts (its matches so far stay); `resume` starts it again."""
    from socialdesk.runtime import build_runtime

    m = _change(build_runtime(settings_for(db)), workspace, name, {"active": False})
    typer.echo(f"monitor {m.name!r} paused")


@monitors_app.command("resume")
def resume(name: str, workspace: WorkspaceOption = "default", db: DbOption = None) -> None:
    """Let a paused monitor match new posts again."""
    from socialdesk.runtime import build_runtime

    m = _change(build_runtime(settings_for(db)), workspace, name, {"active": True})
    typer.echo(f"monitor {m.name!r} resumed")


@monitors_app.command("delete")
def delete(name: str, workspace: WorkspaceOption = "default", db: DbOption = None) -> None:
    """Delete a monitor: it matches nothing more and leaves the lists (its name is free again); its
    matches stay (the posts it matched keep its name), and the audit trail keeps its definition."""
    from socialdesk.actions.listening.monitors import check_delete_monitor, monitor_by_name
    from socialdesk.domain.errors import DomainError
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    user = _workspace_user(runtime, workspace)
    try:
        with runtime.uow() as uow:
            monitor = monitor_by_name(uow, user, name)
            check_delete_monitor(uow, user, monitor.id, runtime.clock.now())
    except DomainError as exc:
        fail(str(exc))
    typer.echo(f"monitor {monitor.name!r} deleted")


@monitors_app.command("test")
def try_query(
    query: str,
    input_path: Annotated[
        str, typer.Option("--input", help="Normalized posts (JSONL), or - for stdin.")
    ] = "-",
) -> None:
    """Check a query and print the posts of a JSONL file that it matches (one JSON line each)."""
    from socialdesk.actions.listening.monitors import preview_query
    from socialdesk.ingest.readers import read_jsonl
    from socialdesk.ingest.validate import PostError
    from socialdesk.listening import MatchablePost, QueryError

    if input_path != "-" and not Path(input_path).is_file():
        fail(f"{input_path}: no such file")
    stream = sys.stdin if input_path == "-" else open(input_path, encoding="utf-8")  # noqa: SIM115
    try:
        records = list(read_jsonl(stream))
    finally:
        if stream is not sys.stdin:
            stream.close()
    bad = [r for _, r in records if isinstance(r, PostError)]
    for error in bad[:20]:
        typer.echo(f"{input_path}: {error}", err=True)
    posts = [r for _, r in records if not isinstance(r, PostError)]
    matchable = [
        MatchablePost(
            text=p.text,
            author_handle=p.author.handle,
            lang=p.lang,
            channel=p.channel,
            followers=p.author.followers,
            verified=p.author.verified,
            is_repost=p.is_repost,
            is_reply=p.in_reply_to is not None,
        )
        for p in posts
    ]
    try:
        hits = preview_query(query, matchable)
    except QueryError as exc:
        fail(f"query: {exc}")
    for i in hits:
        typer.echo(json.dumps({"id": posts[i].id, "text": posts[i].text}, ensure_ascii=False))
    typer.echo(f"{len(hits)} of {len(posts)} posts match", err=True)
    if bad:
        raise typer.Exit(1)
