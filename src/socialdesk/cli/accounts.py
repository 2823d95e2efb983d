"""Users and API tokens: create, list, change roles, disable and enable, set passwords, revoke.

Passwords never come on the command line (it is visible to other users in `ps` and kept in shell
history): on a terminal they are prompted for twice, otherwise one line is read from stdin, so scripts
pipe them in (`printf '%s\\n' "$PW" | socialdesk users set-password ada@acme.io`).
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from socialdesk.cli.options import DbOption, fail, settings_for
from socialdesk.domain.people import Role, User

if TYPE_CHECKING:
    from socialdesk.ports.uow import UnitOfWork
    from socialdesk.runtime import Runtime

users_app = typer.Typer(help="Manage users.", no_args_is_help=True)
tokens_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)

AnyWorkspaceOption = Annotated[
    str | None, typer.Option("--workspace", "-w", help="Workspace slug; every workspace if omitted.")
]
_DURATION = re.compile(r"^\s*(\d{1,6})\s*([mhdw])\s*$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
MAX_EXPIRY = timedelta(days=3660)


def read_password(what: str = "Password") -> str:
    """Prompt twice on a terminal; else read one line of stdin (its line ending dropped)."""
    from socialdesk.actions.accounts.users import MAX_PASSWORD

    if sys.stdin.isatty():
        value: str = typer.prompt(what, hide_input=True, confirmation_prompt=True)
        return value
    line = sys.stdin.readline(MAX_PASSWORD + 2).rstrip("\r\n")
    if not line:
        fail("no password on stdin: pipe one line to it, or run on a terminal to be prompted")
    return line


def parse_duration(text: str) -> timedelta:
    found = _DURATION.match(text)
    if found is None:
        fail(f"--expires-in {text!r}: give a number and a unit, such as 90m, 12h, 30d or 2w")
    duration = timedelta(seconds=int(found.group(1)) * _UNIT_SECONDS[found.group(2)])
    if not timedelta(0) < duration <= MAX_EXPIRY:
        fail(f"--expires-in {text!r}: between 1 minute and 3660 days")
    return duration


def _user(uow: UnitOfWork, email: str) -> User:
    found = uow.users.get_by_email(email)
    if found is None:
        fail(f"no user with email {email!r}")
    return found[0]


def _workspaces(uow: UnitOfWork, slug: str | None) -> list[int]:
    if slug is None:
        return [w.id for w in uow.workspaces.list()]
    found = uow.workspaces.get_by_slug(slug)
    if found is None:
        fail(f"no workspace {slug!r}")
    return [found.id]


def _default_workspace(runtime: Runtime) -> str:
    """The workspace a command means when -w is not given: the only one there is (said on stderr), or
    a new `default` one in an empty database; with several, the command stops and asks."""
    with runtime.uow() as uow:
        slugs = sorted(w.slug for w in uow.workspaces.list())
    if len(slugs) == 1:
        typer.echo(f"using workspace {slugs[0]} (the only one in this database; -w chooses)", err=True)
        return slugs[0]
    if slugs:
        fail(f"this database has {len(slugs)} workspaces ({', '.join(slugs)}): choose one with -w")
    return "default"


def _runtime(db: str | None) -> Runtime:
    from socialdesk.runtime import build_runtime

    return build_runtime(settings_for(db))


@users_app.command("create")
def users_create(
    email: str,
    name: Annotated[str, typer.Option(help="Full name; initials become the reply signature (^AB).")] = "",
    role: Annotated[Role, typer.Option(help="admin, lead, agent, knowledge_editor.")] = Role.AGENT,
    workspace: Annotated[
        str | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace slug. If omitted: the database's only workspace, or a new `default` one.",
        ),
    ] = None,
    generate_password: Annotated[
        bool, typer.Option("--generate-password", help="Make a random password and print it once.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create a user (and the workspace, if new). The password is prompted for (or one line of stdin);
    stored as an argon2 hash. Without -w, a database with one workspace puts the user there."""
    from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
    from socialdesk.domain.errors import DomainError

    runtime = _runtime(db)
    slug = workspace or _default_workspace(runtime)
    password = secrets.token_urlsafe(12) if generate_password else read_password()
    try:
        with runtime.uow() as uow:
            ws = ensure_workspace(uow, slug)
            user = check_create_user(uow, ws.id, email, name, password, role, now=runtime.clock.now())
    except DomainError as exc:
        fail(str(exc))
    typer.echo(f"created {user.role.value} {user.email} in workspace {ws.slug}")
    if generate_password:
        typer.echo(f"password: {password}")


@users_app.command("list")
def users_list(workspace: AnyWorkspaceOption = None, db: DbOption = None) -> None:
    """One JSON line per user: id, workspace, email, name, role, active, in training. No secrets."""
    from socialdesk.actions.accounts.lifecycle import list_users

    runtime = _runtime(db)
    with runtime.uow() as uow:
        slugs = {w.id: w.slug for w in uow.workspaces.list()}
        for ws in _workspaces(uow, workspace):
            for u in list_users(uow, None, ws):
                row = {
                    "id": u.id, "workspace": slugs[ws], "email": u.email, "name": u.name,
                    "role": u.role.value, "is_active": u.is_active, "in_training": u.in_training,
                }  # fmt: skip
                typer.echo(json.dumps(row))


Change = Callable[["UnitOfWork", User, datetime], object]


def _change(db: str | None, email: str, change: Change) -> None:
    """Apply one lifecycle action to the user with this email, as the CLI (no user actor)."""
    from socialdesk.domain.errors import DomainError

    runtime = _runtime(db)
    try:
        with runtime.uow() as uow:
            change(uow, _user(uow, email), runtime.clock.now())
    except DomainError as exc:
        fail(str(exc))


@users_app.command("set-password")
def users_set_password(email: str, db: DbOption = None) -> None:
    """Set a user's password (prompted twice, or one line of stdin); ends all their web sessions."""
    from socialdesk.actions.accounts.lifecycle import check_set_password

    password = read_password("New password")
    _change(db, email, lambda uow, u, now: check_set_password(uow, None, u.workspace_id, u.id, password, now))
    typer.echo(f"password of {email.strip().lower()} set; their web sessions ended")


@users_app.command("disable")
def users_disable(email: str, db: DbOption = None) -> None:
    """Disable a user: their sessions end and their API tokens are refused at once. The last active
    admin of a workspace cannot be disabled."""
    from socialdesk.actions.accounts.lifecycle import check_set_active

    _change(db, email, lambda uow, u, now: check_set_active(uow, None, u.workspace_id, u.id, False, now))
    typer.echo(f"{email.strip().lower()} disabled; their sessions ended and their tokens are refused")


@users_app.command("enable")
def users_enable(email: str, db: DbOption = None) -> None:
    """Enable a disabled user again (their API tokens work again; they log in anew)."""
    from socialdesk.actions.accounts.lifecycle import check_set_active

    _change(db, email, lambda uow, u, now: check_set_active(uow, None, u.workspace_id, u.id, True, now))
    typer.echo(f"{email.strip().lower()} enabled")


@users_app.command("set-role")
def users_set_role(
    email: str,
    role: Annotated[Role, typer.Argument(help="admin, lead (team lead), agent or knowledge_editor.")],
    db: DbOption = None,
) -> None:
    """Make a user admin, team lead or agent. The last active admin of a workspace cannot be demoted."""
    from socialdesk.actions.accounts.lifecycle import check_set_role

    _change(db, email, lambda uow, u, now: check_set_role(uow, None, u.workspace_id, u.id, role, now))
    typer.echo(f"{email.strip().lower()} is now {role.value}")


@tokens_app.command("create")
def tokens_create(
    email: str,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    expires_in: Annotated[
        str | None,
        typer.Option("--expires-in", help="Lifetime such as 90m, 12h, 30d, 2w; none: until revoked."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Create an API token for a user; it is printed once and stored only as a hash."""
    from socialdesk.actions.accounts.credentials import do_create_api_token
    from socialdesk.domain.errors import DomainError

    lifetime = parse_duration(expires_in) if expires_in is not None else None
    runtime = _runtime(db)
    try:
        with runtime.uow() as uow:
            user = _user(uow, email)
            token = do_create_api_token(uow, user, name, runtime.clock.now(), expires_in=lifetime)
    except DomainError as exc:
        fail(str(exc))
    typer.echo(token)


@tokens_app.command("list")
def tokens_list(
    email: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None,
    workspace: AnyWorkspaceOption = None,
    db: DbOption = None,
) -> None:
    """One JSON line per token: id, name, user, created, expires, expired. Never the token itself."""
    from socialdesk.actions.accounts.lifecycle import list_tokens

    runtime = _runtime(db)
    now = runtime.clock.now()
    with runtime.uow() as uow:
        owner = _user(uow, email) if email else None
        spaces = [owner.workspace_id] if owner else _workspaces(uow, workspace)
        for ws in spaces:
            emails = {u.id: u.email for u in uow.users.list(ws)}
            for t in list_tokens(uow, None, ws, owner.id if owner else None):
                row = {
                    "id": t.id,
                    "name": t.name,
                    "user": emails.get(t.user_id),
                    "created_at": t.created_at.isoformat(),
                    "expires_at": t.expires_at.isoformat() if t.expires_at else None,
                    "expired": t.expired(now),
                }
                typer.echo(json.dumps(row))


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: Annotated[int, typer.Argument(help="The id `tokens list` shows.")], db: DbOption = None
) -> None:
    """Delete an API token: calls with it are refused from now on."""
    from socialdesk.actions.accounts.lifecycle import check_revoke_token
    from socialdesk.domain.errors import DomainError

    runtime = _runtime(db)
    try:
        with runtime.uow() as uow:
            owner = next((ws for ws in _workspaces(uow, None) if uow.tokens.get(ws, token_id)), None)
            if owner is None:
                fail(f"no token with id {token_id}")
            token = check_revoke_token(uow, None, owner, token_id, runtime.clock.now())
    except DomainError as exc:
        fail(str(exc))
    typer.echo(f"token {token.id} ({token.name}) revoked")
