"""Changing and removing channel accounts (admins only): new credentials, settings, budget, pause, delete.

A change of settings or credentials resets the account's health to ``starting`` with the reason
"reconfigured": the channel runner notices the new configuration on its next pass, stops the old client
and starts a new one, so a broken account (revoked token) comes back as soon as an admin fixes it.

Credentials belong to the host they were made for: when the setting naming where they are sent
(``api_url``, ``instance_url``, ``service``) moves to another host or port, the stored credentials are
dropped unless the same change gives new ones, and the account is marked broken until they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from urllib.parse import urlsplit

from socialdesk.actions.care.audit import record_config_change
from socialdesk.actions.channels.accounts import (
    MISSING_KEY,
    _check_secrets,
    _check_settings,
    access_channel_account,
    channel_audit_state,
    network_schema,
)
from socialdesk.domain.errors import PermissionDenied, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.ports.channels import (
    AccountConfig,
    ChannelAccount,
    ChannelHealthRow,
    CredentialSealer,
    NetworkCatalog,
    NetworkSchema,
    UrlChecker,
)
from socialdesk.ports.uow import UnitOfWork

CREDENTIALS_DROPPED = "credentials dropped because {name} moved to {host}: enter them again"


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()  # "leave as it is", where None is a value (no read budget)


@dataclass(frozen=True)
class ChannelChanges:
    """What to change; None (or `KEEP` for the budget) leaves a part as it is.

    ``settings`` are merged into the current ones (a value of None or "" removes a setting);
    ``credentials`` replace the stored ones as a whole (they are never read back, so never merged).
    """

    settings: Mapping[str, Any] | None = None
    credentials: Mapping[str, str] | None = None
    is_active: bool | None = None
    budget_reads: int | _Keep | None = KEEP
    budget_window_seconds: int | None = None


def _admin(user: User, what: str) -> None:
    if not user.is_admin:
        raise PermissionDenied(f"only admins {what} channel accounts")


def _host_port(value: str) -> tuple[str, int | None]:
    """(host, port) of a credential endpoint setting: a URL (an API base) or a bare host name (a mail
    server's ``imap_host``)."""
    parts = urlsplit(value if "://" in value or not value else f"//{value}")
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    return (parts.hostname or "").rstrip(".").lower(), port


def _moved_endpoint(
    schema: NetworkSchema, before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[str, str] | None:
    """(setting, new host) of the first credential endpoint that changed, or None: the schema's
    ``credential_endpoint`` (setting, default: the network's client's own) and its
    ``more_credential_endpoints``."""
    pairs = [
        *([schema.credential_endpoint] if schema.credential_endpoint else []),
        *schema.more_credential_endpoints,
    ]
    for name, default in pairs:
        old, new = (_host_port(str(s.get(name) or default)) for s in (before, after))
        if old != new:
            return name, new[0]
    return None


def check_update_channel_account(
    uow: UnitOfWork,
    user: User,
    account_id: int,
    changes: ChannelChanges,
    sealer: CredentialSealer | None,
    now: datetime,
    *,
    urls: UrlChecker,
    networks: NetworkCatalog,
) -> ChannelAccount:
    """Apply ``changes`` to one account of the user's workspace and return it as stored. New URL
    settings must pass ``urls`` (the URL policy); ``networks`` (the network registry) says what the
    account's network is configured with."""
    _admin(user, "change")
    account = access_channel_account(uow, user, account_id)
    schema = network_schema(networks, account.network)
    settings = dict(account.settings)
    if changes.settings is not None:
        settings.update(changes.settings)
        settings = _check_settings(
            account.network, schema, {k: v for k, v in settings.items() if v not in (None, "")}, urls
        )
    sealed = account.sealed_credentials
    moved_to = _moved_endpoint(schema, account.settings, settings)
    moved = moved_to is not None
    dropped = moved and changes.credentials is None and sealed is not None
    if dropped:
        sealed = None  # never send the old host's credentials to the new one
    if changes.credentials is not None:
        values = _check_secrets(account.network, schema, changes.credentials)
        if values and sealer is None:
            raise ValidationFailed(MISSING_KEY)
        sealed = sealer.seal(values) if values and sealer is not None else None
    reads = account.budget.reads if isinstance(changes.budget_reads, _Keep) else changes.budget_reads
    if reads is not None and reads < 1:
        raise ValidationFailed("budget_reads: at least 1 read per window (or none for no budget)")
    window = changes.budget_window_seconds or account.budget.window_seconds
    if changes.budget_window_seconds is not None and changes.budget_window_seconds < 1:
        raise ValidationFailed("budget_window_seconds: at least 1")
    active = account.is_active if changes.is_active is None else changes.is_active
    config = AccountConfig(settings, sealed, active, reads, window)
    uow.channels.configure(user.workspace_id, account.id, config)
    reconfigured = settings != account.settings or sealed != account.sealed_credentials
    if dropped:
        name, host = moved_to or ("", "")
        reason = CREDENTIALS_DROPPED.format(name=name, host=host)
        uow.channels.set_health(
            user.workspace_id, account.id, ChannelHealthRow("broken", reason, changed_at=now)
        )
    elif reconfigured or active != account.is_active:
        reason = "reconfigured" if active else "paused by an admin"
        uow.channels.set_health(
            user.workspace_id, account.id, ChannelHealthRow("starting", reason, changed_at=now)
        )
    changed = [
        name
        for name, differs in (
            ("settings", settings != account.settings),
            ("credentials", changes.credentials is not None or dropped),
            ("is_active", active != account.is_active),
            ("budget", (reads, window) != (account.budget.reads, account.budget.window_seconds)),
        )
        if differs
    ]
    data: dict[str, Any] = {"account_id": account.id, "channel": account.label, "changed": changed}
    if dropped:
        data["credentials_dropped"] = True
    uow.emit(Event(user.workspace_id, EventKind.CHANNEL_UPDATED, data))
    updated = uow.channels.get(user.workspace_id, account.id)
    assert updated is not None
    before, after = channel_audit_state(account), channel_audit_state(updated)
    if changes.credentials is not None or dropped:  # never the secrets themselves: only what happened
        what = "replaced" if changes.credentials is not None else "dropped: the endpoint moved"
        before, after = {**before, "credentials": "previous"}, {**after, "credentials": what}
    action = "channel_changed"
    if changed == ["is_active"]:
        action = "channel_resumed" if active else "channel_paused"
    record_config_change(uow, user, now, action, account_id=account.id, before=before, after=after)
    return updated


def check_remove_channel_account(uow: UnitOfWork, user: User, account_id: int, now: datetime) -> None:
    """Delete an account with its cursors and traffic; the posts it brought in, and the brand account
    its handle registered, stay. Its client stops on the runner's next pass."""
    _admin(user, "remove")
    account = access_channel_account(uow, user, account_id)
    uow.channels.remove(user.workspace_id, account.id)
    state = channel_audit_state(account)
    record_config_change(uow, user, now, "channel_removed", account_id=account.id, before=state, after=None)
    uow.emit(
        Event(
            user.workspace_id, EventKind.CHANNEL_REMOVED, {"account_id": account.id, "channel": account.label}
        )
    )
