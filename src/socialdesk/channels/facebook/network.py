"""The Facebook network's descriptor: a Page's comments and replies and its Messenger conversations,
pushed by Meta's Page webhooks; comment replies, private replies and Messenger messages sent as the Page
through the Graph API (the shared Meta code is in ``channels/meta/``)."""

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

NAME = "facebook"
WEBHOOK_PATH = "/api/v1/webhooks/facebook/{id}"
PRODUCT = MetaProduct(object_name="page", id_setting="page_id", reply_edge="comments", platform="messenger")


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
    label="Facebook Page",
    summary="Page comments and replies, Messenger; replies, private replies and messages sent as the Page",
    schema=NetworkSchema(
        required_settings=("page_id",),
        optional_settings=("api_url", "graph_version"),
        required_secrets=("page_token", "app_secret", "verify_token"),
        generated_secrets=("verify_token",),
        url_settings=("api_url",),
        credential_endpoint=("api_url", "https://graph.facebook.com"),
        brand_account=True,
        check=PRODUCT.check,
        docs={
            "page_id": "the Page's numeric id (the account's handle is this id too: comments by the Page "
            "are the brand's)",
            **SETTING_DOCS,
            **SECRET_DOCS,
        },
    ),
    inbound=("webhook",),
    parse=_parse,
    http=_http,
    sender=_sender,
    probe=_probe,
    no_backfill="Page webhooks push comments and messages as they happen; socialdesk reads no history back",
    webhook_path=WEBHOOK_PATH,
    private_messages="Messenger messages pushed by the Page webhook; sent within Meta's 24-hour window, "
    "or as a private reply to a comment",
)
