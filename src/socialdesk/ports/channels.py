"""The interfaces the channel wiring needs: stored channel accounts, their cursors, health and traffic.

A channel account is one brand account on one network (or one feed, or one webhook source) in one
workspace. Its credentials are stored sealed (encrypted); the repository never sees them in clear.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from socialdesk.domain.api_spend import Charge


@dataclass(frozen=True)
class NetworkSchema:
    """What an account on one network is configured with: the part of its descriptor
    (``channels/registry.py``) that actions validate against, without importing ``channels``.

    ``modes`` are the values the ``mode`` setting takes (the first is the default); ``url_settings``
    must be http(s) URLs the URL policy allows; ``credential_endpoint`` is (the setting naming the
    host the credentials are sent to, its default): when that host changes, stored credentials are
    dropped. ``generated_secrets`` are made up by ``socialdesk channels add`` when not given (shown
    once). ``brand_account``: the handle is the brand's own account there, so its posts are outbound
    replies. ``check`` validates the cleaned settings further and returns the reason they are wrong.
    ``docs`` says what each setting and secret is, for `socialdesk channels networks`, the API and UI.
    """

    required_settings: tuple[str, ...] = ()
    optional_settings: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    required_secrets: tuple[str, ...] = ()
    optional_secrets: tuple[str, ...] = ()
    generated_secrets: tuple[str, ...] = ()
    url_settings: tuple[str, ...] = ()
    credential_endpoint: tuple[str, str] | None = None
    # Further (setting, default) pairs naming hosts the credentials are also sent to (an e-mail
    # account's SMTP server beside its IMAP server): moving any of them drops the credentials too.
    more_credential_endpoints: tuple[tuple[str, str], ...] = ()
    brand_account: bool = False
    # (units, window seconds) of the read budget an account gets when none is given: a network's own
    # quota (YouTube: 10,000 units a day); None: no budget unless one is set.
    default_budget: tuple[int, int] | None = None
    check: Callable[[Mapping[str, Any]], str | None] | None = None
    docs: Mapping[str, str] = field(default_factory=dict)

    @property
    def settings(self) -> tuple[str, ...]:
        return (*self.required_settings, *self.optional_settings)

    @property
    def secrets(self) -> tuple[str, ...]:
        return (*self.required_secrets, *self.optional_secrets)


class NetworkCatalog(Protocol):
    """The networks accounts can be connected on (``channels.registry.REGISTRY``), as actions see them."""

    def names(self) -> tuple[str, ...]: ...
    def schema(self, network: str) -> NetworkSchema | None:
        """The network's schema; None for a network socialdesk has no adapter for."""
        ...


@dataclass(frozen=True, slots=True)
class ChannelHealthRow:
    """A channel's health as persisted: what the client reported, or the runner's silence alarm."""

    state: str = "starting"  # starting, connected, degraded, broken (channels.health.HealthState)
    reason: str = ""
    until: datetime | None = None  # degraded: when the next attempt is due
    last_error: str = ""
    changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReadBudget:
    """Reads (HTTP requests to the network) allowed per window, and those spent in the current one."""

    reads: int | None = None  # None: no budget, reads are only counted
    window_seconds: int = 900
    spent: int = 0
    window_started_at: datetime | None = None

    @property
    def remaining(self) -> int | None:
        return None if self.reads is None else max(self.reads - self.spent, 0)


@dataclass(frozen=True, slots=True)
class ChannelAccount:
    id: int
    workspace_id: int
    network: str
    handle: str
    settings: dict[str, Any]  # instance_url, user_id, feed_url, service, mode... never secrets
    sealed_credentials: str | None  # encrypted JSON of the secrets, or None
    is_active: bool
    created_at: datetime
    health: ChannelHealthRow = field(default_factory=ChannelHealthRow)
    last_post_at: datetime | None = None
    budget: ReadBudget = field(default_factory=ReadBudget)

    @property
    def label(self) -> str:
        return f"{self.network}:{self.handle}"


@dataclass(frozen=True, slots=True)
class NewChannelAccount:
    network: str
    handle: str
    settings: dict[str, Any]
    sealed_credentials: str | None
    budget_reads: int | None = None
    budget_window_seconds: int = 900


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """What an admin may change on a channel account (`actions.channels.check_update_channel_account`)."""

    settings: dict[str, Any]
    sealed_credentials: str | None
    is_active: bool
    budget_reads: int | None
    budget_window_seconds: int


@dataclass(frozen=True, slots=True)
class MonthSpend:
    """An account's API spend in one calendar month (UTC) at the network's pay-per-use prices."""

    month: str  # "2026-12"
    reads: int = 0
    writes: int = 0
    usd_micros: int = 0

    @property
    def usd(self) -> Decimal:
        return Decimal(self.usd_micros) / 1_000_000


class SpendGate(Protocol):
    """Where the connector asks before each request of a priced network and reports after the answer
    (durably; domain/api_spend.py)."""

    def refusal(self, account: ChannelAccount, *, reads: int) -> str | None:
        """Why a request spending ``reads`` units of the read budget may not go out for the account now
        (budget spent, cap reached), else None."""
        ...

    def record(self, account: ChannelAccount, charge: Charge, *, window_reads: int) -> None: ...


class ChannelAccountRepo(Protocol):
    def add(self, workspace_id: int, account: NewChannelAccount, now: datetime) -> ChannelAccount: ...
    def get(self, workspace_id: int, account_id: int) -> ChannelAccount | None: ...
    def find(self, account_id: int) -> ChannelAccount | None:
        """By id alone, for webhook receivers, which learn the workspace from the account."""
        ...

    def list(self, workspace_id: int) -> list[ChannelAccount]: ...
    def list_active(self) -> builtins.list[ChannelAccount]:
        """Active accounts of every workspace (the runner's work list)."""
        ...

    def set_health(self, workspace_id: int, account_id: int, health: ChannelHealthRow) -> None: ...
    def configure(self, workspace_id: int, account_id: int, config: AccountConfig) -> None:
        """Replace the account's settings, sealed credentials, active flag and read budget size."""
        ...

    def remove(self, workspace_id: int, account_id: int) -> None:
        """Delete the account with its cursors and traffic counts (posts it brought in stay)."""
        ...

    def set_budget(self, workspace_id: int, account_id: int, budget: ReadBudget) -> None: ...
    def record_posts(self, workspace_id: int, account_id: int, count: int, at: datetime) -> None:
        """``count`` posts arrived at ``at``: move last_post_at and add them to that hour's traffic."""
        ...

    def posts_since(self, workspace_id: int, account_id: int, since: datetime) -> int:
        """Posts recorded in the hours starting at or after ``since``."""
        ...

    def add_spend(self, workspace_id: int, account_id: int, spend: MonthSpend) -> None:
        """Add ``spend`` to the account's total for ``spend.month``."""
        ...

    def month_spend(
        self, workspace_id: int, account_ids: builtins.list[int], month: str
    ) -> dict[int, MonthSpend]:
        """The accounts' spend in ``month`` (accounts that spent nothing are absent)."""
        ...

    def get_cursor(self, workspace_id: int, account_id: int, key: str) -> str | None: ...
    def set_cursor(self, workspace_id: int, account_id: int, key: str, value: str, now: datetime) -> None: ...


class Leases(Protocol):
    """Which process runs a channel account's client when several processes could (bus/leases.py)."""

    ttl: float  # seconds a lease lasts without renewal

    def acquire(self, name: str) -> bool:
        """Take or renew the lease on ``name``; False when another process holds it."""
        ...

    def release(self, name: str) -> None: ...


class SoleLeases:
    """One process runs every channel client (the embedded mode): every lease is granted."""

    ttl = float("inf")

    def acquire(self, name: str) -> bool:
        return True

    def release(self, name: str) -> None:
        return None


class UrlChecker(Protocol):
    """The URL policy's judgement of a URL alone (``channels.url_policy.UrlPolicy``): scheme, userinfo,
    address literals. Host names are judged again on their addresses at every connection."""

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched (``"http://10.0.0.1 is a private address; ..."``), or None."""
        ...


class CredentialSealer(Protocol):
    """Encrypts an account's secrets for storage (Fernet with ``SOCIALDESK_SECRET_KEY``)."""

    def seal(self, values: Mapping[str, str]) -> str: ...
