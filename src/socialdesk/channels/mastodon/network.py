"""The Mastodon network's descriptor: an instance's streaming API (or polled notifications), direct
statuses as private messages, replies sent as the brand. Clients are imported only when used."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.registry import BackfillRequest, InboundRequest, NetworkDescriptor
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.connect import Connector, InboundClient
    from socialdesk.channels.framework import PostDict
    from socialdesk.ports.services import ChannelSender


def _http(connector: Connector, account: ChannelAccount, app: bool) -> httpx.Client:
    from socialdesk.channels.mastodon.client import mastodon_http

    instance = str(account.settings["instance_url"])
    token = connector.secret(account, "token")
    return mastodon_http(instance, token, policy=connector.url_policy, transport=connector.transport)


def _client(request: InboundRequest) -> InboundClient:
    from socialdesk.channels.mastodon.client import MastodonPoller, MastodonStream

    s, c = request.account.settings, request.connector
    http = request.http()
    poller = MastodonPoller(
        http,
        request.on_posts,
        request.health,
        request.cursors,
        interval=float(s.get("interval") or 60.0),
        sleep=c.sleep,
        clock=c.clock,
    )
    if s.get("mode") == "poll":
        return poller
    return MastodonStream(
        http,
        request.on_posts,
        request.health,
        hashtag=s.get("hashtag"),
        gap_filler=None if s.get("hashtag") else poller.poll_once,
        cursors=request.cursors,
        sleep=c.sleep,
        clock=c.clock,
    )


def _sender(connector: Connector, account: ChannelAccount) -> ChannelSender:
    from socialdesk.channels.mastodon.send import MastodonSender

    return MastodonSender(connector.http(account))


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.mastodon.parse import notification

    return [post for entity in payload if (post := notification(entity)) is not None]


def _probe(connector: Connector, account: ChannelAccount) -> str:
    from socialdesk.channels.mastodon.probe import probe

    return probe(connector, account)


def _backfill(request: BackfillRequest) -> int:
    from socialdesk.channels.mastodon.backfill import backfill

    return backfill(request)


DESCRIPTOR = NetworkDescriptor(
    name="mastodon",
    label="Mastodon",
    summary="an instance's streaming API (or polled notifications); replies sent as the brand",
    schema=NetworkSchema(
        required_settings=("instance_url",),
        optional_settings=("mode", "hashtag", "interval"),
        modes=("stream", "poll"),
        required_secrets=("token",),
        url_settings=("instance_url",),
        credential_endpoint=("instance_url", ""),
        brand_account=True,
        docs={
            "instance_url": "the instance, e.g. https://mastodon.social",
            "mode": "stream (default: the user stream, gaps filled by polling) or poll",
            "hashtag": "follow a hashtag stream instead of the brand's notifications",
            "interval": "seconds between polls (default 60)",
            "token": "access token with the scopes read write",
        },
    ),
    inbound=("poll", "stream"),
    parse=_parse,
    client=_client,
    http=_http,
    sender=_sender,
    probe=_probe,
    backfill=_backfill,
    private_messages="direct-visibility statuses in and out",
)
