"""The network registry: one `NetworkDescriptor` per network, and the one list naming them.

Everything outside a network's own package asks here about a network (what its accounts are
configured with, how its posts come in, whether and how it sends, probes and backfills) instead of
naming it. Adding a network is its own folder with a ``network.py`` exporting ``DESCRIPTOR``, plus one
line in :data:`NETWORK_MODULES` (CONTRIBUTING.md, "Adding a network").

Descriptor modules are imported on first use and import their clients only inside their factories,
so importing the registry stays cheap, and ``socialdesk --help`` imports none of it.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from socialdesk.domain import networks as network_rules
from socialdesk.domain import text_length
from socialdesk.domain.text_length import LengthRule
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.connect import Connector, InboundClient, RequestHook
    from socialdesk.channels.framework import ChannelHealth, CursorStore, PostDict, PostsCallback
    from socialdesk.domain.api_spend import Charge
    from socialdesk.ports.services import ChannelSender

__all__ = [
    "NETWORK_MODULES",
    "REGISTRY",
    "BackfillRequest",
    "InboundRequest",
    "NetworkDescriptor",
    "Registry",
    "UnknownNetwork",
]

# The one registration line per network: the module holding its DESCRIPTOR.
NETWORK_MODULES = (
    "socialdesk.channels.x.network",
    "socialdesk.channels.mastodon.network",
    "socialdesk.channels.bluesky.network",
    "socialdesk.channels.rss.network",
    "socialdesk.channels.webhook.network",
    "socialdesk.channels.facebook.network",
    "socialdesk.channels.instagram.network",
    "socialdesk.channels.youtube.network",
    "socialdesk.channels.google_play.network",
    "socialdesk.channels.app_store.network",
    "socialdesk.channels.google_business.network",
    "socialdesk.channels.email.network",
)

INBOUND_MODES = ("poll", "stream", "webhook")


class UnknownNetwork(LookupError):
    """No descriptor is registered under this name."""


@dataclass(frozen=True)
class InboundRequest:
    """What an inbound client factory gets: the account and where its posts, health and cursors go."""

    connector: Connector
    account: ChannelAccount
    on_posts: PostsCallback
    health: ChannelHealth
    cursors: CursorStore
    on_request: RequestHook | None = None

    def http(self, *, app: bool = False) -> httpx.Client:
        """The account's HTTP client, every request counted by ``on_request`` (the read budget)."""
        return self.connector.http(self.account, on_request=self.on_request, app=app)


@dataclass(frozen=True)
class BackfillRequest:
    """What a backfill gets: the account, the range ``[since, until)``, and where each page goes."""

    connector: Connector
    account: ChannelAccount
    since: datetime
    until: datetime
    on_posts: PostsCallback
    now: Callable[[], datetime]


PricingRule = Callable[[Mapping[str, Decimal], "httpx.Request", "httpx.Response"], "Charge"]
QuotaCost = Callable[["httpx.Request"], int]
HttpFactory = Callable[["Connector", ChannelAccount, bool], "httpx.Client"]
InboundFactory = Callable[[InboundRequest], "InboundClient"]
SenderFactory = Callable[["Connector", ChannelAccount], "ChannelSender"]
ProbeCheck = Callable[["Connector", ChannelAccount], str]
Backfill = Callable[[BackfillRequest], int]
Parse = Callable[[Any, datetime, Mapping[str, Any]], "list[PostDict]"]


@dataclass(frozen=True)
class NetworkDescriptor:
    """One network, as the rest of socialdesk sees it. ``None`` for a capability means "has none".

    * ``schema``: its accounts' settings and secrets (which are secrets: stored sealed, never shown).
    * ``inbound``: how posts come in, of :data:`INBOUND_MODES`; ``client`` builds the poller or stream
      for an account (None: posts are pushed to ``webhook_path``).
    * ``parse``: one payload as the network delivers it (an API page, a feed, a webhook body), the
      time it arrived and the account's settings (a feed's URL) -> normalized post dicts. Pure.
    * ``http``: the account's authenticated HTTP client (connector, account, app token?); None: a
      plain client. ``sender``: the account's ChannelSender; None: inbound only.
    * ``probe``: a cheap read returning what it found, raising ``channels.probe.ProbeProblem`` with
      what is wrong; None: ``no_probe`` says why there is nothing to call (``{id}`` is the account id).
    * ``backfill``: fetches past posts in a range and returns how many; None: ``no_backfill`` says why.
    * ``private_messages``: how the network's private messages come in and go out (None: it has none
      socialdesk handles). Their length rule, like that of public replies, is the pure table in
      ``domain/`` keyed by the network's name (:attr:`length`, :attr:`private_length`).
    * ``pricing``: what one request and its answer cost on a pay-per-use API, at ``prices`` (the
      documented unit prices in dollars; the ``SOCIALDESK_API_PRICES`` setting overrides them);
      None: the API is not billed per use (domain/api_spend.py).
    * ``quota_cost``: how many units of the read budget a request spends, where the network meters a
      quota per request kind (YouTube: 1 for a list, 50 for a write); None: each GET is one read and
      sends spend none (the schema's ``default_budget`` gives the quota itself).
    """

    name: str
    label: str
    summary: str
    schema: NetworkSchema
    inbound: tuple[str, ...]
    parse: Parse | None = None
    client: InboundFactory | None = None
    http: HttpFactory | None = None
    sender: SenderFactory | None = None
    probe: ProbeCheck | None = None
    no_probe: str = "nothing to call"
    backfill: Backfill | None = None
    no_backfill: str = "this network keeps no history socialdesk can read back"
    webhook_path: str | None = None
    private_messages: str | None = None
    pricing: PricingRule | None = None
    prices: Mapping[str, Decimal] = field(default_factory=dict)
    quota_cost: QuotaCost | None = None

    def __post_init__(self) -> None:
        odd = [mode for mode in self.inbound if mode not in INBOUND_MODES]
        if odd or not self.inbound:
            raise ValueError(f"{self.name}: inbound modes {self.inbound}; expected some of {INBOUND_MODES}")
        if ("webhook" in self.inbound) != (self.webhook_path is not None):
            raise ValueError(f"{self.name}: a webhook inbound mode and a webhook_path go together")
        if self.client is None and self.webhook_path is None:
            raise ValueError(f"{self.name}: no way in (neither a client nor a webhook_path)")

    @property
    def pushed(self) -> bool:
        """Posts only arrive when the network pushes them (no client of ours runs)."""
        return self.client is None

    @property
    def length(self) -> LengthRule:
        return text_length.rule(self.name)

    @property
    def private_length(self) -> LengthRule | None:
        return network_rules.private_rule(self.name) if self.private_messages else None

    def webhook_url_path(self, account_id: int) -> str | None:
        return self.webhook_path.format(id=account_id) if self.webhook_path else None


class Registry:
    """The registered networks, loaded from :data:`NETWORK_MODULES` on first use (a `NetworkCatalog`)."""

    def __init__(self, modules: tuple[str, ...] = NETWORK_MODULES) -> None:
        self._modules = modules
        self._lock = threading.Lock()
        self._found: dict[str, NetworkDescriptor] | None = None

    def _all(self) -> dict[str, NetworkDescriptor]:
        with self._lock:
            if self._found is None:
                found: dict[str, NetworkDescriptor] = {}
                for module in self._modules:
                    descriptor = importlib.import_module(module).DESCRIPTOR
                    if not isinstance(descriptor, NetworkDescriptor):
                        raise TypeError(f"{module}.DESCRIPTOR is not a NetworkDescriptor")
                    if descriptor.name in found:
                        raise ValueError(f"network {descriptor.name!r} registered twice ({module})")
                    found[descriptor.name] = descriptor
                self._found = found
            return self._found

    def __iter__(self) -> Iterator[NetworkDescriptor]:
        return iter(list(self._all().values()))

    def names(self) -> tuple[str, ...]:
        return tuple(self._all())

    def find(self, network: str) -> NetworkDescriptor | None:
        return self._all().get(network)

    def get(self, network: str) -> NetworkDescriptor:
        found = self.find(network)
        if found is None:
            raise UnknownNetwork(
                f"socialdesk has no adapter for the network {network!r} (known: {', '.join(self.names())})"
            )
        return found

    def schema(self, network: str) -> NetworkSchema | None:
        found = self.find(network)
        return found.schema if found is not None else None

    def register(self, descriptor: NetworkDescriptor) -> None:
        """Add a network at run time (tests, plugins); the name must be new."""
        known = self._all()
        with self._lock:
            if descriptor.name in known:
                raise ValueError(f"network {descriptor.name!r} is already registered")
            known[descriptor.name] = descriptor

    def unregister(self, network: str) -> None:
        with self._lock:
            if self._found is not None:
                self._found.pop(network, None)

    @contextmanager
    def registered(self, descriptor: NetworkDescriptor) -> Iterator[NetworkDescriptor]:
        """``with REGISTRY.registered(d):`` the network exists inside the block only."""
        self.register(descriptor)
        try:
            yield descriptor
        finally:
            self.unregister(descriptor.name)


REGISTRY = Registry()
