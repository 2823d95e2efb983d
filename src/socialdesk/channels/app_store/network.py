"""The App Store network's descriptor: an app's customer reviews (with their star ratings) polled
through the App Store Connect API with a JWT signed by the team's key, and the developer's public
responses. Clients are imported only when used."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.app_store.quota import API, HOURLY_REQUESTS
from socialdesk.channels.registry import InboundRequest, NetworkDescriptor
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.connect import Connector, InboundClient
    from socialdesk.channels.framework import PostDict
    from socialdesk.ports.services import ChannelSender

NAME = "app_store"


def _check(settings: Mapping[str, Any]) -> str | None:
    if not str(settings["app_id"]).isdigit():
        return "app_id is the app's Apple ID, a number (App Store Connect, App Information)"
    if not str(settings["key_id"]).isalnum():
        return "key_id is the API key's id, such as 2X9R4HXF34"
    interval = settings.get("interval")
    if interval is not None and not str(interval).replace(".", "", 1).isdigit():
        return "interval is a number of seconds"
    return None


def _http(connector: Connector, account: ChannelAccount, app: bool) -> httpx.Client:
    from socialdesk.channels.app_store.api import AppStoreJwt, app_store_http
    from socialdesk.channels.framework import SystemUtcClock

    s, clock = account.settings, connector.clock or SystemUtcClock()
    auth = AppStoreJwt(
        connector.secret(account, "private_key"), str(s["key_id"]), str(s["issuer_id"]), clock.now
    )
    base_url = str(s.get("api_url") or API)
    return app_store_http(auth, base_url=base_url, policy=connector.url_policy, transport=connector.transport)


def _client(request: InboundRequest) -> InboundClient:
    from socialdesk.channels.app_store.client import AppStorePoller

    s, c = request.account.settings, request.connector
    return AppStorePoller(
        request.http(),
        str(s["app_id"]),
        request.on_posts,
        request.health,
        request.cursors,
        interval=float(s.get("interval") or 600.0),
        sleep=c.sleep,
        clock=c.clock,
    )


def _sender(connector: Connector, account: ChannelAccount) -> ChannelSender:
    from socialdesk.channels.app_store.send import AppStoreSender

    return AppStoreSender(connector.http(account), str(account.settings["app_id"]))


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    from socialdesk.channels.app_store.parse import reviews_page

    return reviews_page(payload, str(settings.get("app_id") or ""))


def _probe(connector: Connector, account: ChannelAccount) -> str:
    from socialdesk.channels.app_store.probe import probe

    return probe(connector, account)


DESCRIPTOR = NetworkDescriptor(
    name=NAME,
    label="App Store",
    summary="an app's customer reviews with their stars (polled); public developer responses",
    schema=NetworkSchema(
        required_settings=("app_id", "issuer_id", "key_id"),
        optional_settings=("api_url", "interval"),
        required_secrets=("private_key",),
        url_settings=("api_url",),
        brand_account=True,
        default_budget=(HOURLY_REQUESTS, 3_600),
        check=_check,
        docs={
            "app_id": "the app's Apple ID, a number (the account's handle too)",
            "issuer_id": "the issuer id of your team's API keys (App Store Connect, Users and Access, "
            "Integrations)",
            "key_id": "the id of the API key (role Customer Support or higher)",
            "api_url": f"API base URL (default {API})",
            "interval": "seconds between polls (default 600)",
            "private_key": "the text of the key's .p8 file (give it from a file or the environment)",
        },
    ),
    inbound=("poll",),
    parse=_parse,
    client=_client,
    http=_http,
    sender=_sender,
    probe=_probe,
    no_backfill="App Store Connect lists every review newest first: the first poll reads 5 pages of 200",
)
