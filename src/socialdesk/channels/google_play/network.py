"""The Google Play network's descriptor: an app's reviews (with their star ratings) polled through the
Google Play Developer API v3 with OAuth 2.0, and the developer's public replies. Clients are imported
only when used."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.google_play.quota import API, HOURLY_READS, quota_cost
from socialdesk.channels.registry import InboundRequest, NetworkDescriptor
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.connect import Connector, InboundClient
    from socialdesk.channels.framework import PostDict
    from socialdesk.ports.services import ChannelSender

NAME = "google_play"
TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 (an address, not a secret)
_PACKAGE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+")


def _check(settings: Mapping[str, Any]) -> str | None:
    package = str(settings["package_name"])
    if not _PACKAGE.fullmatch(package) or len(package) > 150:
        return "package_name is the app's package name, such as com.example.app"
    interval = settings.get("interval")
    if interval is not None and not str(interval).replace(".", "", 1).isdigit():
        return "interval is a number of seconds"
    return None


def _http(connector: Connector, account: ChannelAccount, app: bool) -> httpx.Client:
    from socialdesk.channels.google_oauth import GoogleOAuth
    from socialdesk.channels.google_play.api import play_http

    auth = GoogleOAuth(
        str(account.settings.get("token_url") or TOKEN_URL),
        connector.secret(account, "client_id"),
        connector.secret(account, "client_secret"),
        connector.secret(account, "refresh_token"),
    )
    base_url = str(account.settings.get("api_url") or API)
    return play_http(auth, base_url=base_url, policy=connector.url_policy, transport=connector.transport)


def _client(request: InboundRequest) -> InboundClient:
    from socialdesk.channels.google_play.client import PlayPoller

    s, c = request.account.settings, request.connector
    return PlayPoller(
        request.http(),
        str(s["package_name"]),
        request.on_posts,
        request.health,
        request.cursors,
        interval=float(s.get("interval") or 600.0),
        sleep=c.sleep,
        clock=c.clock,
    )


def _sender(connector: Connector, account: ChannelAccount) -> ChannelSender:
    from socialdesk.channels.google_play.send import PlaySender

    return PlaySender(connector.http(account), str(account.settings["package_name"]))


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.google_play.parse import reviews_page

    return reviews_page(payload, str(settings.get("package_name") or ""))


def _probe(connector: Connector, account: ChannelAccount) -> str:
    from socialdesk.channels.google_play.probe import probe

    return probe(connector, account)


DESCRIPTOR = NetworkDescriptor(
    name=NAME,
    label="Google Play",
    summary="an app's reviews with their stars (polled); public developer replies, 350 characters",
    schema=NetworkSchema(
        required_settings=("package_name",),
        optional_settings=("api_url", "token_url", "interval"),
        required_secrets=("client_id", "client_secret", "refresh_token"),
        url_settings=("api_url", "token_url"),
        credential_endpoint=("token_url", TOKEN_URL),
        brand_account=True,
        default_budget=(HOURLY_READS, 3_600),
        check=_check,
        docs={
            "package_name": "the app's package name, such as com.example.app (the account's handle too)",
            "api_url": f"API base URL (default {API})",
            "token_url": f"OAuth 2.0 token endpoint (default {TOKEN_URL})",
            "interval": "seconds between polls (default 600: 6 of the 200 reads an hour Google allows)",
            "client_id": "the OAuth client id of your Google Cloud project (Android Publisher API enabled)",
            "client_secret": "the OAuth client secret",
            "refresh_token": "a refresh token of a Play Console user with 'Reply to reviews', scope "
            "androidpublisher",
        },
    ),
    inbound=("poll",),
    parse=_parse,
    client=_client,
    http=_http,
    sender=_sender,
    probe=_probe,
    no_backfill="Google Play's API returns only the reviews of the last week, which the poller reads",
    quota_cost=quota_cost,
)
