"""The RSS/Atom network's descriptor: a feed polled for new entries; nothing to answer, nothing sent.
Clients are imported only when used."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.registry import BackfillRequest, InboundRequest, NetworkDescriptor
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    from socialdesk.channels.connect import Connector, InboundClient
    from socialdesk.channels.framework import PostDict


def _client(request: InboundRequest) -> InboundClient:
    from socialdesk.channels.rss.client import RssPoller

    s, c = request.account.settings, request.connector
    return RssPoller(
        request.http(),
        str(s["feed_url"]),
        request.on_posts,
        request.health,
        request.cursors,
        interval=float(s.get("interval") or 900.0),
        sleep=c.sleep,
        clock=c.clock,
    )


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.rss.parse import feed_posts

    return feed_posts(payload, str(settings.get("feed_url") or ""), received_at)


def _probe(connector: Connector, account: ChannelAccount) -> str:
    from socialdesk.channels.rss.probe import probe

    return probe(connector, account)


def _backfill(request: BackfillRequest) -> int:
    from socialdesk.channels.rss.backfill import backfill

    return backfill(request)


DESCRIPTOR = NetworkDescriptor(
    name="rss",
    label="RSS/Atom feed",
    summary="an RSS or Atom feed, polled; inbound only (nobody to answer)",
    schema=NetworkSchema(
        required_settings=("feed_url",),
        optional_settings=("interval",),
        url_settings=("feed_url",),
        docs={
            "feed_url": "the RSS or Atom feed URL",
            "interval": "seconds between polls (default 900)",
        },
    ),
    inbound=("poll",),
    parse=_parse,
    client=_client,
    probe=_probe,
    backfill=_backfill,
)
