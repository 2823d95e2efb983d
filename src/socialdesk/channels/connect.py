"""From a stored channel account to working adapters: credentials, HTTP clients, inbound clients, senders.

`Connector` is the one place that opens sealed credentials (with ``SOCIALDESK_SECRET_KEY``); what to
build for an account it asks the account's network descriptor (``channels/registry.py``). The runner,
the runtime's senders, the CLI and the API use it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import httpx

from socialdesk.channels.crypto import CredentialError, Secret, decrypt, encrypt
from socialdesk.channels.framework import ChannelHealth, CursorStore, PostsCallback, Sleep, StopFlag
from socialdesk.channels.registry import REGISTRY, InboundRequest, NetworkDescriptor
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.domain.api_spend import Charge, PriceTable
from socialdesk.ports.channels import ChannelAccount, SpendGate
from socialdesk.ports.services import ChannelSender, Clock

DEFAULT_TIMEOUT = 15.0
RequestHook = Callable[[httpx.Request], None]


class InboundClient(Protocol):
    def run(self, stop: StopFlag) -> None: ...


class BudgetSpent(httpx.TransportError):
    """The account's read budget for this window is spent, or its monthly spend cap is reached: the
    request is not sent."""


def request_units(descriptor: NetworkDescriptor | None, request: httpx.Request) -> int:
    """Units of the read budget one request spends: its network's quota cost where it has one, else
    one for a GET and none for a send."""
    if descriptor is not None and descriptor.quota_cost is not None:
        return descriptor.quota_cost(request)
    return 1 if request.method == "GET" else 0


class FernetSealer:
    """Seals an account's secrets as one Fernet token of a JSON object."""

    def __init__(self, key: str) -> None:
        self._key = key
        encrypt("", key)  # fail now, with a clear message, when the key is not a Fernet key

    def seal(self, values: Mapping[str, str]) -> str:
        return encrypt(json.dumps(dict(values), sort_keys=True), self._key)


@dataclass
class Connector:
    """Builds adapters for stored accounts. ``transport`` (tests) replaces the network for HTTP.

    Every client it builds fetches through ``url_policy`` (public addresses only unless
    ``SOCIALDESK_ALLOW_PRIVATE_URLS``), the firehose's websocket too. Where the network's API is priced
    (its descriptor's ``pricing``) and a `spend` gate is set (the runtime sets one), every request asks
    the gate first and every answer is charged to the account (domain/api_spend.py, ports/channels.py).
    """

    secret_key: str | None
    transport: httpx.BaseTransport | None = None
    clock: Clock | None = None
    sleep: Sleep | None = None
    url_policy: UrlPolicy = field(default_factory=UrlPolicy)
    spend: SpendGate | None = None
    price_overrides: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)

    def sealer(self) -> FernetSealer | None:
        return FernetSealer(self.secret_key) if self.secret_key else None

    def credentials(self, account: ChannelAccount) -> dict[str, Secret]:
        """The account's secrets, decrypted; raises CredentialError with a plain reason."""
        if not account.sealed_credentials:
            return {}
        if not self.secret_key:
            raise CredentialError(
                f"{account.label} has stored credentials but SOCIALDESK_SECRET_KEY is not set"
            )
        plain = json.loads(decrypt(account.sealed_credentials, self.secret_key).reveal())
        return {str(k): Secret(str(v)) for k, v in plain.items()}

    def secret(self, account: ChannelAccount, name: str) -> Secret:
        """One of the account's secrets; CredentialError when it has none (never given, or dropped
        when its endpoint host changed)."""
        found = self.credentials(account).get(name)
        if found is None:
            raise CredentialError(f"{account.label} has no stored {name}: enter the credentials again")
        return found

    # -- HTTP ----------------------------------------------------------------------------------------

    def http(
        self, account: ChannelAccount, *, on_request: RequestHook | None = None, app: bool = False
    ) -> httpx.Client:
        """An authenticated client for the account's API (the network's descriptor builds it; ``app``
        asks for the app's token where the network has one), else a plain one."""
        descriptor = REGISTRY.find(account.network)
        if descriptor is not None and descriptor.http is not None:
            client = descriptor.http(self, account, app)
        else:
            client = self.url_policy.http_client(
                timeout=httpx.Timeout(DEFAULT_TIMEOUT),
                headers={"User-Agent": "socialdesk"},
                transport=self.transport,
            )
        if on_request is not None:
            client.event_hooks["request"].append(on_request)
        self._meter(client, account, window_reads=on_request is None)
        return client

    # -- spend ---------------------------------------------------------------------------------------

    def prices(self, network: str) -> PriceTable:
        """The network's prices: its documented defaults with this install's overrides."""
        descriptor = REGISTRY.find(network)
        defaults = descriptor.prices if descriptor is not None else {}
        return {**defaults, **self.price_overrides.get(network, {})}

    def charge(self, account: ChannelAccount, charge: Charge) -> None:
        """Record what a client spent outside a plain request/answer (a stream's delivered posts)."""
        if self.spend is not None and not charge.empty:
            self.spend.record(account, charge, window_reads=0)

    def _meter(self, client: httpx.Client, account: ChannelAccount, *, window_reads: bool) -> None:
        """Hooks asking the spend gate before each request and charging each answer.

        ``window_reads``: the gate also counts each request's units (`request_units`) against the
        read budget's window (probes, backfills, a sender's look for a sent reply; the channel runner
        counts its clients' requests itself). Sending is never held back by a read budget, only by
        a network's quota (YouTube's inserts cost units) and the monthly cap."""
        gate = self.spend
        descriptor = REGISTRY.find(account.network)
        if gate is None or descriptor is None or (descriptor.pricing is None and not window_reads):
            return
        prices, rule = self.prices(account.network), descriptor.pricing

        def units(request: httpx.Request) -> int:  # of the read budget (sends spend none, but quotas)
            return request_units(descriptor, request) if window_reads else 0

        def ask(request: httpx.Request) -> None:
            reason = gate.refusal(account, reads=units(request))
            if reason is not None:
                raise BudgetSpent(reason, request=request)

        def charge(response: httpx.Response) -> None:
            spent = rule(prices, response.request, response) if rule is not None else Charge()
            gate.record(account, spent, window_reads=units(response.request))

        client.event_hooks["request"].append(ask)
        client.event_hooks["response"].append(charge)

    # -- outbound ------------------------------------------------------------------------------------

    def sender(self, account: ChannelAccount) -> ChannelSender | None:
        """The account's ChannelSender; None for inbound-only networks."""
        descriptor = REGISTRY.find(account.network)
        if descriptor is None or descriptor.sender is None:
            return None
        return descriptor.sender(self, account)

    # -- inbound -------------------------------------------------------------------------------------

    def inbound(
        self,
        account: ChannelAccount,
        on_posts: PostsCallback,
        health: ChannelHealth,
        cursors: CursorStore,
        *,
        on_request: RequestHook | None = None,
    ) -> InboundClient | None:
        """The client that brings the account's posts in; None where they are pushed (webhooks)."""
        descriptor = REGISTRY.find(account.network)
        if descriptor is None or descriptor.client is None:
            return None
        return descriptor.client(InboundRequest(self, account, on_posts, health, cursors, on_request))
