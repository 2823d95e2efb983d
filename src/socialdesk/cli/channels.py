"""`socialdesk channels key|networks|add|list|test|backfill|pause|resume|rotate|remove`: brand channel
accounts. What each network takes comes from the network registry (`channels/registry.py`).

Secrets are never taken from the command line (argv shows in `ps` and shell history): they are
prompted for, or read from the environment variable an option names (`--token-env VAR`).
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

from socialdesk.cli.options import DbOption, WorkspaceOption, fail, settings_for

if TYPE_CHECKING:
    from socialdesk.actions.channels.config import ChannelChanges
    from socialdesk.domain.people import User
    from socialdesk.ports.channels import ChannelAccount
    from socialdesk.runtime import Runtime

channels_app = typer.Typer(
    help="Brand channel accounts: X, Mastodon, Bluesky, RSS/Atom feeds and signed webhooks.",
    no_args_is_help=True,
)

EnvOption = Annotated[str | None, typer.Option(help="Read it from this environment variable (no prompt).")]


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.add_typer(channels_app, name="channels")


def _admin(workspace_id: int) -> User:
    from socialdesk.domain.people import Role, User

    return User(id=0, workspace_id=workspace_id, email="cli@localhost", name="cli", role=Role.ADMIN)


def _from_env(var: str) -> str:
    from socialdesk.config import environment_secret

    value = environment_secret(var)
    if not value:
        fail(f"environment variable {var} is not set or empty")
    return value


@channels_app.command("key")
def key() -> None:
    """Print a new SOCIALDESK_SECRET_KEY (a Fernet key) for encrypting channel credentials."""
    from socialdesk.channels.crypto import new_key

    typer.echo(new_key())


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values or []:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip():
            fail(f"{option} {value!r}: expected NAME=VALUE")
        found[name.strip()] = rest
    return found


@channels_app.command("add")
def add(
    network: Annotated[
        str,
        typer.Argument(
            help="x, mastodon, bluesky, rss, webhook, email, or another registered network "
            "(`socialdesk channels networks` lists them with their settings)."
        ),
    ],
    handle: Annotated[
        str,
        typer.Argument(help="The brand's handle there (rss and webhook: a name; email: the address)."),
    ],
    user_id: Annotated[str | None, typer.Option(help="x: the account's numeric user id.")] = None,
    instance_url: Annotated[str | None, typer.Option(help="mastodon: e.g. https://mastodon.social")] = None,
    feed_url: Annotated[str | None, typer.Option(help="rss: the RSS or Atom feed URL.")] = None,
    service: Annotated[
        str | None, typer.Option(help="bluesky: the PDS (default https://bsky.social).")
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(
            help="x: mentions|stream; mastodon: stream|poll; bluesky: notifications|firehose; "
            "email: idle|poll."
        ),
    ] = None,
    hashtag: Annotated[str | None, typer.Option(help="mastodon: follow a hashtag stream instead.")] = None,
    api_url: Annotated[str | None, typer.Option(help="x: API base URL (default https://api.x.com).")] = None,
    interval: Annotated[float | None, typer.Option(help="Seconds between polls.")] = None,
    setting: Annotated[
        list[str] | None,
        typer.Option(help="Any of the network's settings as NAME=VALUE (repeatable)."),
    ] = None,
    secret_env: Annotated[
        list[str] | None,
        typer.Option(help="A secret of the network as NAME=ENV_VAR, read from that variable (repeatable)."),
    ] = None,
    token_env: Annotated[
        str | None,
        typer.Option(
            help="Environment variable holding the main secret (x/mastodon token, bluesky app password, "
            "webhook secret, email password); prompted for when omitted."
        ),
    ] = None,
    bearer_env: EnvOption = None,
    consumer_secret_env: EnvOption = None,
    budget: Annotated[
        int | None, typer.Option(min=1, help="Reads (HTTP requests) allowed per window.")
    ] = None,
    window: Annotated[int, typer.Option(min=1, help="The budget's window in seconds.")] = 900,
    workspace: WorkspaceOption = "default",
    db: DbOption = None,
) -> None:
    """Connect a channel account; its credentials are stored encrypted with SOCIALDESK_SECRET_KEY."""
    from socialdesk.actions.accounts.users import ensure_workspace
    from socialdesk.actions.channels.accounts import check_add_channel_account
    from socialdesk.channels.crypto import CredentialError
    from socialdesk.channels.registry import REGISTRY
    from socialdesk.domain.errors import DomainError
    from socialdesk.runtime import build_runtime

    descriptor = REGISTRY.find(network)
    if descriptor is None:
        fail(f"network {network!r}: expected one of {', '.join(REGISTRY.names())}")
    schema = descriptor.schema

    options = {
        "user_id": user_id,
        "instance_url": instance_url,
        "feed_url": feed_url,
        "service": service,
        "mode": mode,
        "hashtag": hashtag,
        "api_url": api_url,
        "interval": interval,
    }
    settings: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    settings.update(_pairs(setting, "--setting"))
    found = {name: _from_env(var) for name, var in _pairs(secret_env, "--secret-env").items()}
    generated: list[str] = []
    for name in schema.required_secrets:
        if name in found:
            continue
        if token_env:
            found[name] = _from_env(token_env)
        elif name in schema.generated_secrets:
            found[name] = secrets.token_urlsafe(32)
            generated.append(name)
        else:
            found[name] = typer.prompt(f"{network} {name.replace('_', ' ')}", hide_input=True)
    if bearer_env:
        found["bearer"] = _from_env(bearer_env)
    if consumer_secret_env:
        found["consumer_secret"] = _from_env(consumer_secret_env)
    runtime = build_runtime(settings_for(db))
    try:
        sealer = runtime.channel_connector().sealer()
        with runtime.uow() as uow:
            ws = ensure_workspace(uow, workspace)
            account = check_add_channel_account(
                uow,
                _admin(ws.id),
                network,
                handle,
                settings,
                found,
                sealer,
                runtime.clock.now(),
                urls=runtime.channel_connector().url_policy,
                networks=REGISTRY,
                budget_reads=budget,
                budget_window_seconds=window,
            )
    except (DomainError, CredentialError) as exc:
        fail(str(exc))
    typer.echo(f"channel account {account.id} {account.label} added to workspace {ws.slug}")
    path = descriptor.webhook_url_path(account.id)
    if descriptor.pushed and path:
        typer.echo(f"POST signed posts to {path}")
    for name in generated:
        typer.echo(f"{network} {name} (shown once, give it to the sender): {found[name]}")


def _find(runtime: Runtime, workspace: str, ref: str) -> ChannelAccount:
    from socialdesk.actions.channels.accounts import list_channel_accounts

    with runtime.uow() as uow:
        ws = uow.workspaces.get_by_slug(workspace)
        accounts = list_channel_accounts(uow, _admin(ws.id)) if ws else []
    for account in accounts:
        if ref == str(account.id) or ref.casefold() == account.label.casefold():
            return account
    return fail(f"no channel account {ref!r} in workspace {workspace!r} (use its id or network:handle)")


AccountArg = Annotated[str, typer.Argument(help="The account's id or network:handle.")]


@channels_app.command("list")
def list_(workspace: WorkspaceOption = "default", db: DbOption = None) -> None:
    """One JSON line per account: health, last post, reads spent against the budget, the month's API
    spend on pay-per-use networks. No secrets."""
    from socialdesk.actions.channels.accounts import list_channel_accounts
    from socialdesk.actions.channels.spend import month_spend
    from socialdesk.channels.registry import REGISTRY
    from socialdesk.domain.api_spend import monthly_cap
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    with runtime.uow() as uow:
        ws = uow.workspaces.get_by_slug(workspace)
        accounts = list_channel_accounts(uow, _admin(ws.id)) if ws else []
        spent = month_spend(uow, accounts, runtime.clock.now())
    for a in accounts:
        line: dict[str, Any] = {
            "id": a.id,
            "channel": a.label,
            "active": a.is_active,
            "state": a.health.state,
            "reason": a.health.reason,
            "last_error": a.health.last_error,
            "last_post_at": a.last_post_at.isoformat() if a.last_post_at else None,
            "reads_spent": a.budget.spent,
            "read_budget": a.budget.reads,
            "window_seconds": a.budget.window_seconds,
        }
        descriptor = REGISTRY.find(a.network)
        if descriptor is not None and descriptor.pricing is not None:
            cap = monthly_cap(a.settings)
            s = spent[a.id]
            line["spend"] = {
                "month": s.month,
                "reads": s.reads,
                "writes": s.writes,
                "usd": str(s.usd),
                "cap_usd": None if cap is None else str(cap),
            }
        typer.echo(json.dumps(line))


@channels_app.command("test")
def check_account(account: AccountArg, workspace: WorkspaceOption = "default", db: DbOption = None) -> None:
    """Check credentials and connectivity; prints what is wrong in plain words (exit 1)."""
    from socialdesk.channels.probe import probe
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    found = _find(runtime, workspace, account)
    result = probe(runtime.channel_connector(), found)
    if not result.ok:
        fail(f"{found.label}: {result.message}")
    typer.echo(f"ok: {found.label}: {result.message}")


def _moment(value: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        fail(f"{option} {value!r}: expected an ISO 8601 time such as 2026-01-05T09:00:00Z")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@channels_app.command("backfill")
def backfill_(
    account: AccountArg,
    since: Annotated[str | None, typer.Option(help="ISO 8601 start (default: 24 hours ago).")] = None,
    until: Annotated[str | None, typer.Option(help="ISO 8601 end (default: now).")] = None,
    workspace: WorkspaceOption = "default",
    db: DbOption = None,
) -> None:
    """Fetch past posts in a time range where the network allows (X mentions, Mastodon and Bluesky
    notifications; RSS whatever the feed holds) and ingest them (idempotent). Prints a JSON summary."""
    from socialdesk.actions.channels.accounts import accept_channel_posts
    from socialdesk.channels.backfill import backfill
    from socialdesk.channels.crypto import CredentialError
    from socialdesk.channels.framework import ChannelError
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    found = _find(runtime, workspace, account)
    now = runtime.clock.now()
    start = _moment(since, "--since") if since else now - timedelta(hours=24)
    end = _moment(until, "--until") if until else now
    if start >= end:
        fail("--since must be before --until")
    totals = {"fetched": 0, "added": 0, "duplicates": 0, "bad": 0}

    def ingest(posts: list[dict[str, Any]]) -> None:
        # The runtime's post sink, as for live posts: the next page is fetched once this one is held.
        result = accept_channel_posts(runtime.post_sink(), runtime.uow, found, posts, runtime.clock.now())
        totals["added"] += result.acceptance.added
        totals["duplicates"] += result.acceptance.duplicates
        if result.acceptance.queued:  # scale-out: in the posts stream, stored by the ingest workers
            totals["queued"] = totals.get("queued", 0) + result.acceptance.queued
        totals["bad"] += len(result.errors) + len(result.acceptance.refused)

    try:
        totals["fetched"] = backfill(
            runtime.channel_connector(), found, start, end, ingest, now=runtime.clock.now
        )
    except (ChannelError, CredentialError) as exc:
        fail(f"{found.label}: {exc}")
    except Exception as exc:  # noqa: BLE001 (network trouble: one plain line, not a traceback)
        fail(f"{found.label}: {type(exc).__name__}: {exc}")
    finally:
        runtime.stop_ingest()
    typer.echo(json.dumps(totals))


def _change(runtime: Runtime, workspace: str, ref: str, changes: ChannelChanges) -> ChannelAccount:
    from socialdesk.actions.channels.config import check_update_channel_account
    from socialdesk.channels.crypto import CredentialError
    from socialdesk.channels.registry import REGISTRY
    from socialdesk.domain.errors import DomainError

    found = _find(runtime, workspace, ref)
    try:
        sealer = runtime.channel_connector().sealer() if changes.credentials else None
        with runtime.uow() as uow:
            account = check_update_channel_account(
                uow,
                _admin(found.workspace_id),
                found.id,
                changes,
                sealer,
                runtime.clock.now(),
                urls=runtime.channel_connector().url_policy,
                networks=REGISTRY,
            )
    except (DomainError, CredentialError) as exc:
        fail(f"{found.label}: {exc}")
    return account


@channels_app.command("pause")
def pause(account: AccountArg, workspace: WorkspaceOption = "default", db: DbOption = None) -> None:
    """Stop reading from an account (its client stops on the runner's next pass); `resume` undoes it."""
    from socialdesk.actions.channels.config import ChannelChanges
    from socialdesk.runtime import build_runtime

    changed = _change(build_runtime(settings_for(db)), workspace, account, ChannelChanges(is_active=False))
    typer.echo(f"{changed.label} paused")


@channels_app.command("resume")
def resume(account: AccountArg, workspace: WorkspaceOption = "default", db: DbOption = None) -> None:
    """Read from a paused account again."""
    from socialdesk.actions.channels.config import ChannelChanges
    from socialdesk.runtime import build_runtime

    changed = _change(build_runtime(settings_for(db)), workspace, account, ChannelChanges(is_active=True))
    typer.echo(f"{changed.label} resumed")


@channels_app.command("rotate")
def rotate(
    account: AccountArg,
    token_env: Annotated[
        str | None,
        typer.Option(help="Environment variable with the new main secret (else prompted)."),
    ] = None,
    workspace: WorkspaceOption = "default",
    db: DbOption = None,
) -> None:
    """Replace an account's credentials (a revoked token, a new app password): a broken account's client
    is restarted with them on the runner's next pass, without restarting any process."""
    from socialdesk.actions.channels.config import ChannelChanges
    from socialdesk.channels.registry import REGISTRY
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    found = _find(runtime, workspace, account)
    schema = REGISTRY.schema(found.network)
    names = schema.required_secrets if schema is not None else ()
    if not names:
        fail(f"{found.label}: this network takes no credentials")
    values = {
        name: _from_env(token_env)
        if token_env
        else typer.prompt(f"{found.network} {name.replace('_', ' ')}", hide_input=True)
        for name in names
    }
    changed = _change(runtime, workspace, account, ChannelChanges(credentials=values))
    typer.echo(f"{changed.label}: credentials replaced; the client restarts within a check interval")


@channels_app.command("remove")
def remove(
    account: AccountArg,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    workspace: WorkspaceOption = "default",
    db: DbOption = None,
) -> None:
    """Delete an account with its cursors and traffic counts; the posts it brought in stay."""
    from socialdesk.actions.channels.config import check_remove_channel_account
    from socialdesk.domain.errors import DomainError
    from socialdesk.runtime import build_runtime

    runtime = build_runtime(settings_for(db))
    found = _find(runtime, workspace, account)
    if not yes and not typer.confirm(f"remove {found.label}?"):
        fail("not removed")
    try:
        with runtime.uow() as uow:
            check_remove_channel_account(uow, _admin(found.workspace_id), found.id, runtime.clock.now())
    except DomainError as exc:
        fail(f"{found.label}: {exc}")
    typer.echo(f"{found.label} removed")
