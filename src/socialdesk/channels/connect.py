"""From a stored channel account to working adapters: credentials, HTTP clients, inbound clients, senders.

`Connector` is the one place that opens sealed credentials (with ``SOCIALDESK_SECRET_KEY``) and
knows each network's settings. The runner, the runtime's senders, the CLI and the API use it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from socialdesk.channels.bluesky.chat_poll import ChatLog
from socialdesk.channels.bluesky.client import FirehoseClient
from socialdesk.channels.bluesky.identity import PUBLIC_PLC, IdentityResolver
from socialdesk.channels.bluesky.notifications import NotificationsPoller
from socialdesk.channels.bluesky.send import BlueskySender
from socialdesk.channels.bluesky.xrpc import DEFAULT_TIMEOUT, Credentials, XrpcSession
from socialdesk.channels.crypto import CredentialError, Secret, decrypt, encrypt
from socialdesk.channels.framework import ChannelHealth, CursorStore, PostsCallback, Sleep, StopFlag
from socialdesk.channels.mastodon.client import MastodonPoller, MastodonStream, mastodon_http
from socialdesk.channels.mastodon.send import MastodonSender
from socialdesk.channels.rss.client import RssPoller
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.channels.x.client import API as X_API
from socialdesk.channels.x.client import XMentionsPoller, XStream, x_http
from socialdesk.channels.x.send import XSender
from socialdesk.ports import ChannelSender, Clock
from socialdesk.ports_channels import ChannelAccount

DEFAULT_BLUESKY_SERVICE = "https://bsky.social"
DEFAULT_RELAY = "https://bsky.network"
RequestHook = Callable[[httpx.Request], None]


class InboundClient(Protocol):
    def run(self, stop: StopFlag) -> None: ...


class BudgetSpent(httpx.TransportError):
    """The account's read budget for this window is spent: the request is not sent."""


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
    ``SOCIALDESK_ALLOW_PRIVATE_URLS``), the firehose's websocket too.
    """

    secret_key: str | None
    transport: httpx.BaseTransport | None = None
    clock: Clock | None = None
    sleep: Sleep | None = None
    url_policy: UrlPolicy = field(default_factory=UrlPolicy)

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
        """An authenticated client for the account's API (X: ``app`` picks the app bearer token)."""
        creds = self.credentials(account)
        s = account.settings
        if account.network == "x":
            token = creds["bearer"] if app and "bearer" in creds else self.secret(account, "token")
            base_url = str(s.get("api_url") or X_API)
            client = x_http(token, base_url=base_url, policy=self.url_policy, transport=self.transport)
        elif account.network == "mastodon":
            instance = str(s["instance_url"])
            token = self.secret(account, "token")
            client = mastodon_http(instance, token, policy=self.url_policy, transport=self.transport)
        else:
            client = self.url_policy.http_client(
                timeout=httpx.Timeout(DEFAULT_TIMEOUT),
                headers={"User-Agent": "socialdesk"},
                transport=self.transport,
            )
        if on_request is not None:
            client.event_hooks["request"].append(on_request)
        return client

    def bluesky_session(self, account: ChannelAccount, http: httpx.Client) -> XrpcSession:
        service = str(account.settings.get("service") or DEFAULT_BLUESKY_SERVICE)
        password = self.secret(account, "app_password").reveal()
        return XrpcSession(service, Credentials(account.handle, password), http=http)

    # -- outbound ------------------------------------------------------------------------------------

    def sender(self, account: ChannelAccount) -> ChannelSender | None:
        """The account's ChannelSender (X, Mastodon, Bluesky); None for inbound-only networks."""
        if account.network == "x":
            return XSender(self.http(account), str(account.settings["user_id"]))
        if account.network == "mastodon":
            return MastodonSender(self.http(account))
        if account.network == "bluesky":
            http = self.http(account)
            session = self.bluesky_session(account, http)
            plc = str(account.settings.get("plc_url") or PUBLIC_PLC)
            resolver = IdentityResolver(plc_url=plc, handle_service=session, http=http)
            return BlueskySender(session, resolver, clock=self.clock)
        return None

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
        """The client that brings the account's posts in; None for webhook sources (they are pushed)."""
        s = account.settings
        timing: dict[str, Any] = {"sleep": self.sleep, "clock": self.clock}
        if account.network == "x":
            if s.get("mode") == "stream":
                return XStream(
                    self.http(account, on_request=on_request, app=True), on_posts, health, **timing
                )
            return XMentionsPoller(
                self.http(account, on_request=on_request),
                str(s["user_id"]),
                on_posts,
                health,
                cursors,
                interval=float(s.get("interval") or 60.0),
                direct_messages=s.get("direct_messages", True) is not False,
                **timing,
            )
        if account.network == "mastodon":
            http = self.http(account, on_request=on_request)
            poller = MastodonPoller(
                http, on_posts, health, cursors, interval=float(s.get("interval") or 60.0), **timing
            )
            if s.get("mode") == "poll":
                return poller
            return MastodonStream(
                http,
                on_posts,
                health,
                hashtag=s.get("hashtag"),
                gap_filler=None if s.get("hashtag") else poller.poll_once,
                cursors=cursors,
                **timing,
            )
        if account.network == "rss":
            return RssPoller(
                self.http(account, on_request=on_request),
                str(s["feed_url"]),
                on_posts,
                health,
                cursors,
                interval=float(s.get("interval") or 900.0),
                **timing,
            )
        if account.network == "bluesky":
            http = self.http(account, on_request=on_request)
            session = self.bluesky_session(account, http)
            if s.get("mode") == "firehose":
                plc = str(s.get("plc_url") or PUBLIC_PLC)
                resolver = IdentityResolver(plc_url=plc, handle_service=session, http=http)
                session.ensure()
                relay = str(s.get("relay") or DEFAULT_RELAY)
                return FirehoseClient(
                    relay,
                    session.did,
                    on_posts,
                    resolver,
                    cursors,
                    health=health,
                    clock=self.clock,
                    url_policy=self.url_policy,
                )
            interval = float(s.get("interval") or 20.0)
            chat = ChatLog(session, cursors) if s.get("direct_messages", True) is not False else None
            return NotificationsPoller(
                session, on_posts, cursors, interval=interval, health=health, clock=self.clock, chat=chat
            )
        return None
