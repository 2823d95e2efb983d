"""One brand account on Bluesky, and the clients that work for it (the wiring in one place).

account = BlueskyAccount.connect("https://bsky.social", "acme.bsky.social", app_password)
sender = account.sender()                                       # ChannelSender for the outbox
stream = account.firehose(on_posts, cursors)                    # mentions/replies, any PDS
poller = account.notifications(on_posts, cursors)               # same, through the AppView
threading.Thread(target=stream.run, args=(stop,), daemon=True).start()
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from socialdesk.channels.bluesky.client import FirehoseClient
from socialdesk.channels.bluesky.identity import PUBLIC_PLC, IdentityResolver
from socialdesk.channels.bluesky.notifications import NotificationsPoller
from socialdesk.channels.bluesky.send import BlueskySender
from socialdesk.channels.bluesky.xrpc import DEFAULT_TIMEOUT, Credentials, XrpcSession
from socialdesk.channels.framework import CursorStore, PostsCallback
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.ports.services import Clock

PUBLIC_RELAY = "https://bsky.network"


@dataclass
class BlueskyAccount:
    session: XrpcSession
    resolver: IdentityResolver
    clock: Clock | None = None
    policy: UrlPolicy = field(default_factory=UrlPolicy)

    @classmethod
    def connect(
        cls,
        service: str,
        identifier: str,
        app_password: str,
        *,
        plc_url: str = PUBLIC_PLC,
        clock: Clock | None = None,
        http: httpx.Client | None = None,
        policy: UrlPolicy | None = None,
    ) -> BlueskyAccount:
        """Log in to ``service`` (the account's PDS, or ``https://bsky.social`` as entryway). Every
        fetch passes ``policy`` (default: public addresses only)."""
        policy = policy or UrlPolicy()
        http = http or policy.http_client(timeout=DEFAULT_TIMEOUT)
        session = XrpcSession(service, Credentials(identifier, app_password), http=http)
        session.login()
        resolver = IdentityResolver(plc_url=plc_url, handle_service=session, http=http)
        resolver.remember(session.did, session.handle)
        return cls(session, resolver, clock, policy)

    @property
    def did(self) -> str:
        return self.session.did

    def sender(self) -> BlueskySender:
        return BlueskySender(self.session, self.resolver, clock=self.clock)

    def firehose(
        self, on_posts: PostsCallback, cursors: CursorStore, *, service: str = PUBLIC_RELAY
    ) -> FirehoseClient:
        """Follow ``service``'s firehose: the public relay, or a single PDS (self-hosted, tests)."""
        return FirehoseClient(
            service, self.did, on_posts, self.resolver, cursors, clock=self.clock, url_policy=self.policy
        )

    def notifications(
        self, on_posts: PostsCallback, cursors: CursorStore, *, interval: float = 20.0
    ) -> NotificationsPoller:
        return NotificationsPoller(self.session, on_posts, cursors, interval=interval, clock=self.clock)
