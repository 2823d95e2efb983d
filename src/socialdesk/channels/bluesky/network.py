"""The Bluesky network's descriptor: notifications polled (or the relay's firehose), chat messages
as private messages, replies with facets sent as the brand. Clients are imported only when used."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.registry import BackfillRequest, InboundRequest, NetworkDescriptor
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.bluesky.xrpc import XrpcSession
    from socialdesk.channels.connect import Connector, InboundClient
    from socialdesk.channels.framework import PostDict
    from socialdesk.ports.services import ChannelSender

DEFAULT_SERVICE = "https://bsky.social"
DEFAULT_RELAY = "https://bsky.network"


def session_for(connector: Connector, account: ChannelAccount, http: httpx.Client) -> XrpcSession:
    """The account's XRPC session on its PDS (logs in on first use with the stored app password)."""
    from socialdesk.channels.bluesky.xrpc import Credentials, XrpcSession

    service = str(account.settings.get("service") or DEFAULT_SERVICE)
    password = connector.secret(account, "app_password").reveal()
    return XrpcSession(service, Credentials(account.handle, password), http=http)


def _client(request: InboundRequest) -> InboundClient:
    from socialdesk.channels.bluesky.chat_poll import ChatLog
    from socialdesk.channels.bluesky.client import FirehoseClient
    from socialdesk.channels.bluesky.identity import PUBLIC_PLC, IdentityResolver
    from socialdesk.channels.bluesky.notifications import NotificationsPoller

    s, c = request.account.settings, request.connector
    http = request.http()
    session = session_for(c, request.account, http)
    if s.get("mode") == "firehose":
        plc = str(s.get("plc_url") or PUBLIC_PLC)
        resolver = IdentityResolver(plc_url=plc, handle_service=session, http=http)
        session.ensure()
        return FirehoseClient(
            str(s.get("relay") or DEFAULT_RELAY),
            session.did,
            request.on_posts,
            resolver,
            request.cursors,
            health=request.health,
            clock=c.clock,
            url_policy=c.url_policy,
        )
    chat = ChatLog(session, request.cursors) if s.get("direct_messages", True) is not False else None
    return NotificationsPoller(
        session,
        request.on_posts,
        request.cursors,
        interval=float(s.get("interval") or 20.0),
        health=request.health,
        clock=c.clock,
        chat=chat,
    )


def _sender(connector: Connector, account: ChannelAccount) -> ChannelSender:
    from socialdesk.channels.bluesky.identity import PUBLIC_PLC, IdentityResolver
    from socialdesk.channels.bluesky.send import BlueskySender

    http = connector.http(account)
    session = session_for(connector, account, http)
    plc = str(account.settings.get("plc_url") or PUBLIC_PLC)
    resolver = IdentityResolver(plc_url=plc, handle_service=session, http=http)
    return BlueskySender(session, resolver, clock=connector.clock)


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.bluesky.notifications import REASONS, post_from_notification

    items = [n for n in payload.get("notifications") or [] if n.get("reason") in REASONS]
    return [post for n in items if (post := post_from_notification(n)) is not None]


def _probe(connector: Connector, account: ChannelAccount) -> str:
    from socialdesk.channels.bluesky.probe import probe

    return probe(connector, account)


def _backfill(request: BackfillRequest) -> int:
    from socialdesk.channels.bluesky.backfill import backfill

    return backfill(request)


DESCRIPTOR = NetworkDescriptor(
    name="bluesky",
    label="Bluesky",
    summary="notifications (polled) or the relay's firehose; chat; replies with facets sent as the brand",
    schema=NetworkSchema(
        optional_settings=("service", "mode", "relay", "plc_url", "interval", "direct_messages"),
        modes=("notifications", "firehose"),
        required_secrets=("app_password",),
        url_settings=("service", "relay", "plc_url"),
        credential_endpoint=("service", DEFAULT_SERVICE),
        brand_account=True,
        docs={
            "service": f"the PDS (default {DEFAULT_SERVICE})",
            "mode": "notifications (default: polled) or firehose (the relay's event stream)",
            "relay": f"firehose: the relay (default {DEFAULT_RELAY})",
            "plc_url": "the PLC directory resolving DIDs (default https://plc.directory)",
            "interval": "seconds between polls (default 20)",
            "direct_messages": "poll the brand's chat too (default true); stored private",
            "app_password": "an app password of the brand's account (with direct-message access for chat)",
        },
    ),
    inbound=("poll", "stream"),
    parse=_parse,
    client=_client,
    sender=_sender,
    probe=_probe,
    backfill=_backfill,
    private_messages="chat conversations polled (chat.bsky.convo) and answered there",
)
