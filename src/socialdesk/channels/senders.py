"""The dispatcher's senders for networks with stored accounts: each reply leaves through the channel
account of its workspace whose handle is the reply's brand account (the outbox payload's ``account``);
a workspace with no account on that network keeps the default (simulated) sender. A reply whose brand
has no channel account in a workspace that has others on the network fails with the reason: it never
leaves from another brand's account.

Accounts are read again at most every ``refresh_seconds``, so an account added while the server runs
is used without a restart, and an account whose settings or credentials changed gets a new sender
(never the old host's client with the old credentials). A sender that cannot be built (no
``SOCIALDESK_SECRET_KEY``, a damaged credential) fails the send with the reason, so the outbox
records it; it never falls back silently. A send or lookup refused for the account's credentials
(``ChannelAuthError``: a revoked or expired token) is also reported to ``on_auth_error`` with the
account, which marks it broken (needs re-authorisation) until an admin gives new credentials.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from socialdesk.channels.connect import Connector
from socialdesk.channels.framework import ChannelAuthError, ChannelError
from socialdesk.channels.registry import REGISTRY, Registry
from socialdesk.domain.people import normalize_handle
from socialdesk.ports.channels import ChannelAccount
from socialdesk.ports.inbox import OutboxItem
from socialdesk.ports.services import ChannelSender, SendResult

log = logging.getLogger(__name__)
AuthErrorHook = Callable[[ChannelAccount, str], None]


def outbound_networks(registry: Registry = REGISTRY) -> tuple[str, ...]:
    """The networks whose replies leave through a stored account: those whose descriptor has a sender
    (domain/networks.py says which networks can take a reply at all)."""
    return tuple(d.name for d in registry if d.sender is not None)


class _Unusable:
    def __init__(self, reason: str) -> None:
        self.reason = reason

    def send(self, item: OutboxItem) -> SendResult:
        raise ChannelError(self.reason)

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        raise ChannelError(self.reason)


class AccountSender:
    """A ChannelSender for one network that picks the account of the reply's workspace."""

    def __init__(
        self,
        network: str,
        load_accounts: Callable[[], list[ChannelAccount]],
        connector: Connector,
        default: ChannelSender,
        *,
        refresh_seconds: float = 30.0,
        on_auth_error: AuthErrorHook | None = None,
    ) -> None:
        self.network = network
        self.on_auth_error = on_auth_error
        self._owners: dict[int, ChannelAccount] = {}  # id(sender) -> the account it sends as
        self.load_accounts = load_accounts
        self.connector = connector
        self.default = default
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._loaded_at = -1e18
        # workspace id -> its active accounts on the network, in the order they were added
        self._accounts: dict[int, list[ChannelAccount]] = {}
        # account id -> (the settings and sealed credentials it was built from, sender)
        self._senders: dict[int, tuple[tuple[object, ...], ChannelSender]] = {}

    def sender_for(self, workspace_id: int, handle: str | None = None) -> ChannelSender:
        """The sender of the workspace's account named ``handle`` (None: its first account)."""
        with self._lock:
            if time.monotonic() - self._loaded_at > self.refresh_seconds:
                accounts: dict[int, list[ChannelAccount]] = {}
                for each in sorted(self.load_accounts(), key=lambda a: a.id):
                    if each.network == self.network:
                        accounts.setdefault(each.workspace_id, []).append(each)
                self._accounts = accounts
                self._loaded_at = time.monotonic()
            candidates = self._accounts.get(workspace_id)
            if not candidates:
                return self.default
            account = candidates[0]
            if handle:
                key = normalize_handle(handle)
                named = next((a for a in candidates if normalize_handle(a.handle) == key), None)
                if named is None:
                    known = ", ".join("@" + a.handle.lstrip("@") for a in candidates)
                    return _Unusable(
                        f"no {self.network} channel account for the brand @{handle.lstrip('@')} "
                        f"(this workspace has {known}); add one with `socialdesk channels add`"
                    )
                account = named
            built_from = (account.settings, account.sealed_credentials)
            cached = self._senders.get(account.id)
            if cached is not None and cached[0] == built_from:
                return cached[1]
            found: ChannelSender
            try:
                found = self.connector.sender(account) or self.default
            except Exception as exc:  # noqa: BLE001 (missing key, damaged credentials: said on every send)
                found = _Unusable(f"{account.label}: {exc}")
            self._senders[account.id] = (built_from, found)
            self._owners[id(found)] = account
            return found

    def _refused(self, sender: ChannelSender, exc: ChannelAuthError) -> None:
        account = self._owners.get(id(sender))
        if account is None or self.on_auth_error is None:
            return
        try:
            self.on_auth_error(account, str(exc))
        except Exception:  # the send's own failure is what the outbox records
            log.exception("could not mark %s as needing new credentials", account.label)

    def send(self, item: OutboxItem) -> SendResult:
        sender = self.sender_for(item.workspace_id, item.payload.get("account"))
        try:
            return sender.send(item)
        except ChannelAuthError as exc:
            self._refused(sender, exc)
            raise

    def find_sent(self, item: OutboxItem) -> SendResult | None:
        sender = self.sender_for(item.workspace_id, item.payload.get("account"))
        try:
            return sender.find_sent(item)
        except ChannelAuthError as exc:
            self._refused(sender, exc)
            raise


def account_senders(
    load_accounts: Callable[[], list[ChannelAccount]],
    connector: Connector,
    default: ChannelSender,
    registry: Registry = REGISTRY,
    on_auth_error: AuthErrorHook | None = None,
) -> dict[str, ChannelSender]:
    return {
        network: AccountSender(network, load_accounts, connector, default, on_auth_error=on_auth_error)
        for network in outbound_networks(registry)
    }
