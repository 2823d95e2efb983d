"""The YouTube network's descriptor: comment threads and replies on the brand's videos, polled through
the YouTube Data API v3 with OAuth 2.0; replies sent as the brand's channel. Clients are imported only
when used."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.registry import BackfillRequest, InboundRequest, NetworkDescriptor
from socialdesk.channels.youtube.quota import API, DAILY_QUOTA, TOKEN_URL, quota_cost
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.connect import Connector, InboundClient
    from socialdesk.channels.framework import PostDict
    from socialdesk.ports.services import ChannelSender

NAME = "youtube"


def _check(settings: Mapping[str, Any]) -> str | None:
    channel = str(settings["channel_id"])
    if not (channel.startswith("UC") and len(channel) == 24):
        return "channel_id is the channel's id: 24 characters starting with UC (not the @handle)"
    interval = settings.get("interval")
    if interval is not None and not str(interval).replace(".", "", 1).isdigit():
        return "interval is a number of seconds"
    return None


def _http(connector: Connector, account: ChannelAccount, app: bool) -> httpx.Client:
    from socialdesk.channels.google_oauth import GoogleOAuth
    from socialdesk.channels.youtube.api import youtube_http

    auth = GoogleOAuth(
        str(account.settings.get("token_url") or TOKEN_URL),
        connector.secret(account, "client_id"),
        connector.secret(account, "client_secret"),
        connector.secret(account, "refresh_token"),
    )
    base_url = str(account.settings.get("api_url") or API)
    return youtube_http(auth, base_url=base_url, policy=connector.url_policy, transport=connector.transport)


def _client(request: InboundRequest) -> InboundClient:
    from socialdesk.channels.youtube.client import YouTubePoller

    s, c = request.account.settings, request.connector
    return YouTubePoller(
        request.http(),
        str(s["channel_id"]),
        request.on_posts,
        request.health,
        request.cursors,
        interval=float(s.get("interval") or 300.0),
        sleep=c.sleep,
        clock=c.clock,
    )


def _sender(connector: Connector, account: ChannelAccount) -> ChannelSender:
    from socialdesk.channels.youtube.send import YouTubeSender

    return YouTubeSender(connector.http(account), str(account.settings["channel_id"]))


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.youtube.parse import threads_page

    return threads_page(payload)


def _probe(connector: Connector, account: ChannelAccount) -> str:
    from socialdesk.channels.youtube.probe import probe

    return probe(connector, account)


def _backfill(request: BackfillRequest) -> int:
    from socialdesk.channels.youtube.backfill import backfill

    return backfill(request)


DESCRIPTOR = NetworkDescriptor(
    name=NAME,
    label="YouTube",
    summary="comment threads and replies on the brand's videos (polled); replies sent as the brand's channel",
    schema=NetworkSchema(
        required_settings=("channel_id",),
        optional_settings=("api_url", "token_url", "interval"),
        required_secrets=("client_id", "client_secret", "refresh_token"),
        url_settings=("api_url", "token_url"),
        credential_endpoint=("token_url", TOKEN_URL),
        brand_account=True,
        default_budget=(DAILY_QUOTA, 86_400),
        check=_check,
        docs={
            "channel_id": "the brand's channel id (UC..., 24 characters; the account's handle is this id "
            "too)",
            "api_url": f"API base URL (default {API})",
            "token_url": f"OAuth 2.0 token endpoint (default {TOKEN_URL})",
            "interval": "seconds between polls (default 300: about 300 of the 10,000 daily quota units)",
            "client_id": "the OAuth client id of your Google Cloud project",
            "client_secret": "the OAuth client secret",
            "refresh_token": "a refresh token for the channel's owner, scope youtube.force-ssl",
        },
    ),
    inbound=("poll",),
    parse=_parse,
    client=_client,
    http=_http,
    sender=_sender,
    probe=_probe,
    backfill=_backfill,
    quota_cost=quota_cost,
)
