"""The X network's descriptor: settings, how posts come in (mentions poll, filtered stream, Account
Activity webhook), the sender, probe and backfill. Clients are imported only when used."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.registry import BackfillRequest, InboundRequest, NetworkDescriptor
from socialdesk.channels.x.pricing import PRICES
from socialdesk.domain.api_spend import Charge, PriceTable, monthly_cap_problem
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.connect import Connector, InboundClient
    from socialdesk.channels.framework import PostDict, PostsCallback
    from socialdesk.ports.services import ChannelSender

API = "https://api.x.com"  # the same as x.client.API (tests/channels/test_registry.py holds them equal)


def _check(settings: Mapping[str, Any]) -> str | None:
    if not str(settings["user_id"]).isdigit():
        return "user_id is the account's numeric id (not the @handle)"
    return monthly_cap_problem(settings.get("monthly_cap_usd"))


def _http(connector: Connector, account: ChannelAccount, app: bool) -> httpx.Client:
    from socialdesk.channels.x.client import x_http

    creds = connector.credentials(account)
    token = creds["bearer"] if app and "bearer" in creds else connector.secret(account, "token")
    base_url = str(account.settings.get("api_url") or API)
    return x_http(token, base_url=base_url, policy=connector.url_policy, transport=connector.transport)


def _client(request: InboundRequest) -> InboundClient:
    from socialdesk.channels.x.client import XMentionsPoller, XStream

    s, c = request.account.settings, request.connector
    if s.get("mode") == "stream":
        stream_posts = _charged(request)
        return XStream(request.http(app=True), stream_posts, request.health, sleep=c.sleep, clock=c.clock)
    return XMentionsPoller(
        request.http(),
        str(s["user_id"]),
        request.on_posts,
        request.health,
        request.cursors,
        interval=float(s.get("interval") or 60.0),
        direct_messages=s.get("direct_messages", True) is not False,
        sleep=c.sleep,
        clock=c.clock,
    )


def _charged(request: InboundRequest) -> PostsCallback:
    """The stream's ``on_posts``, charging each delivered post first (its answer never ends, so the
    connector's per-answer charge cannot see them)."""
    from socialdesk.channels.x.pricing import charge_stream_posts

    prices = request.connector.prices("x")

    def on_posts(posts: list[PostDict]) -> None:
        request.connector.charge(request.account, charge_stream_posts(prices, len(posts)))
        request.on_posts(posts)

    return on_posts


def _pricing(prices: PriceTable, request: httpx.Request, response: httpx.Response) -> Charge:
    from socialdesk.channels.x.pricing import charge

    return charge(prices, request, response)


def _sender(connector: Connector, account: ChannelAccount) -> ChannelSender:
    from socialdesk.channels.x.send import XSender

    return XSender(connector.http(account), str(account.settings["user_id"]))


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.x.parse import tweets_page

    return tweets_page(payload)


def _probe(connector: Connector, account: ChannelAccount) -> str:
    from socialdesk.channels.x.probe import probe

    return probe(connector, account)


def _backfill(request: BackfillRequest) -> int:
    from socialdesk.channels.x.backfill import backfill

    return backfill(request)


DESCRIPTOR = NetworkDescriptor(
    name="x",
    label="X",
    summary="mentions (polled) or the filtered stream; DMs; replies and DMs sent as the brand",
    schema=NetworkSchema(
        required_settings=("user_id",),
        optional_settings=("mode", "api_url", "interval", "direct_messages", "monthly_cap_usd"),
        modes=("mentions", "stream"),
        required_secrets=("token",),
        optional_secrets=("bearer", "consumer_secret"),
        url_settings=("api_url",),
        credential_endpoint=("api_url", API),
        brand_account=True,
        check=_check,
        docs={
            "user_id": "the account's numeric user id",
            "mode": "mentions (default: poll the mentions timeline) or stream (the filtered stream)",
            "api_url": f"API base URL (default {API})",
            "interval": "seconds between polls (default 60)",
            "direct_messages": "poll the brand's DMs too (default true); stored private",
            "monthly_cap_usd": (
                "hard cap on the month's API spend in US dollars at the pay-per-use prices "
                "(reads and posts stop when reached; default: no cap)"
            ),
            "token": "user access token (OAuth 2.0, tweet.read users.read tweet.write dm.read dm.write)",
            "bearer": "app bearer token, for the filtered stream",
            "consumer_secret": "app consumer secret, to verify Account Activity webhooks",
        },
    ),
    inbound=("poll", "stream", "webhook"),
    parse=_parse,
    client=_client,
    http=_http,
    sender=_sender,
    probe=_probe,
    backfill=_backfill,
    webhook_path="/api/v1/webhooks/x/{id}",
    private_messages="DMs polled with the mentions (dm_events) or pushed by Account Activity; sent as DMs",
    pricing=_pricing,
    prices=PRICES,
)
