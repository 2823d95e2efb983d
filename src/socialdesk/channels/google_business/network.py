"""The Google Business Profile network's descriptor: a location's reviews (with their stars) polled
through the My Business API v4 with Google's OAuth 2.0, and the owner's public replies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.google_business.quota import API, QUERIES_PER_MINUTE, TOKEN_URL
from socialdesk.channels.registry import InboundRequest, NetworkDescriptor
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.connect import Connector, InboundClient
    from socialdesk.channels.framework import PostDict
    from socialdesk.ports.services import ChannelSender

NAME = "google_business"


def _check(settings: Mapping[str, Any]) -> str | None:
    for key in ("account_id", "location_id"):
        if not str(settings[key]).isdigit():
            return f"{key} is a number (accounts/<account_id>/locations/<location_id>)"
    interval = settings.get("interval")
    if interval is not None and not str(interval).replace(".", "", 1).isdigit():
        return "interval is a number of seconds"
    return None


def _http(connector: Connector, account: ChannelAccount, app: bool) -> httpx.Client:
    from socialdesk.channels.google_oauth import GoogleOAuth, google_http

    auth = GoogleOAuth(
        str(account.settings.get("token_url") or TOKEN_URL),
        connector.secret(account, "client_id"),
        connector.secret(account, "client_secret"),
        connector.secret(account, "refresh_token"),
    )
    base_url = str(account.settings.get("api_url") or API)
    return google_http(auth, base_url=base_url, policy=connector.url_policy, transport=connector.transport)


def _client(request: InboundRequest) -> InboundClient:
    from socialdesk.channels.google_business.client import BusinessPoller

    s, c = request.account.settings, request.connector
    return BusinessPoller(
        request.http(),
        str(s["account_id"]),
        str(s["location_id"]),
        request.on_posts,
        request.health,
        request.cursors,
        interval=float(s.get("interval") or 600.0),
        sleep=c.sleep,
        clock=c.clock,
    )


def _sender(connector: Connector, account: ChannelAccount) -> ChannelSender:
    from socialdesk.channels.google_business.send import BusinessSender

    s = account.settings
    return BusinessSender(connector.http(account), str(s["account_id"]), str(s["location_id"]))


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.google_business.parse import reviews_page

    return reviews_page(payload, str(settings.get("location_id") or ""))


def _probe(connector: Connector, account: ChannelAccount) -> str:
    from socialdesk.channels.google_business.probe import probe

    return probe(connector, account)


DESCRIPTOR = NetworkDescriptor(
    name=NAME,
    label="Google Business Profile",
    summary="a location's reviews with their stars (polled); public owner replies, 4,096 characters",
    schema=NetworkSchema(
        required_settings=("account_id", "location_id"),
        optional_settings=("api_url", "token_url", "interval"),
        required_secrets=("client_id", "client_secret", "refresh_token"),
        url_settings=("api_url", "token_url"),
        credential_endpoint=("token_url", TOKEN_URL),
        brand_account=True,
        default_budget=(QUERIES_PER_MINUTE, 60),
        check=_check,
        docs={
            "account_id": "the Business Profile account id (a number)",
            "location_id": "the location id (a number; the account's handle too)",
            "api_url": f"API base URL (default {API})",
            "token_url": f"OAuth 2.0 token endpoint (default {TOKEN_URL})",
            "interval": "seconds between polls (default 600)",
            "client_id": "the OAuth client id of your Google Cloud project (Business Profile APIs enabled)",
            "client_secret": "the OAuth client secret",
            "refresh_token": "a refresh token of a manager of the location, scope business.manage",
        },
    ),
    inbound=("poll",),
    parse=_parse,
    client=_client,
    http=_http,
    sender=_sender,
    probe=_probe,
    no_backfill="the poller reads the newest 250 reviews on its first poll",
)
