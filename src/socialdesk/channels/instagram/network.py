"""The Instagram network's descriptor: a professional account's comments, @mentions and direct
messages, pushed by Meta's Instagram webhooks; comment replies, private replies and direct messages
sent as the account through the Graph API (the shared Meta code is in ``channels/meta/``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.channels.meta.product import SECRET_DOCS, SETTING_DOCS, MetaProduct
from socialdesk.channels.registry import NetworkDescriptor
from socialdesk.ports.channels import ChannelAccount, NetworkSchema

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.connect import Connector
    from socialdesk.channels.framework import PostDict
    from socialdesk.ports.services import ChannelSender

NAME = "instagram"
WEBHOOK_PATH = "/api/v1/webhooks/instagram/{id}"
PRODUCT = MetaProduct(
    object_name="instagram",
    id_setting="ig_user_id",
    reply_edge="replies",
    platform="instagram",
    hide_field="hide",
)


def _http(connector: Connector, account: ChannelAccount, app: bool) -> httpx.Client:
    return PRODUCT.http(connector, account, app)


def _sender(connector: Connector, account: ChannelAccount) -> ChannelSender:
    return PRODUCT.sender(connector, account)


def _probe(connector: Connector, account: ChannelAccount) -> str:
    return PRODUCT.probe(connector, account)


def _parse(payload: Any, received_at: datetime, settings: Mapping[str, Any]) -> list[PostDict]:
    return PRODUCT.parse(NAME, payload, received_at)


DESCRIPTOR = NetworkDescriptor(
    name=NAME,
    label="Instagram",
    summary="comments, @mentions and direct messages; replies, private replies and messages sent as it",
    schema=NetworkSchema(
        required_settings=("ig_user_id",),
        optional_settings=("api_url", "graph_version"),
        required_secrets=("page_token", "app_secret", "verify_token"),
        generated_secrets=("verify_token",),
        url_settings=("api_url",),
        credential_endpoint=("api_url", "https://graph.facebook.com"),
        brand_account=True,
        check=PRODUCT.check,
        docs={
            "ig_user_id": "the Instagram professional account's numeric id (the account's handle is its "
            "@username)",
            **SETTING_DOCS,
            **SECRET_DOCS,
        },
    ),
    inbound=("webhook",),
    parse=_parse,
    http=_http,
    sender=_sender,
    probe=_probe,
    no_backfill="Instagram webhooks push comments and messages as they happen; no history is read back",
    webhook_path=WEBHOOK_PATH,
    private_messages="direct messages pushed by the Instagram webhook; sent within Meta's 24-hour window, "
    "or as a private reply to a comment",
)
