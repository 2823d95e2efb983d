"""The Bluesky (AT Protocol) channel: firehose/notifications in, replies with facets out.

The names below are loaded on first use, so importing the package (the network registry loads
``bluesky.network``) imports no client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialdesk.channels.bluesky.account import PUBLIC_RELAY, BlueskyAccount
    from socialdesk.channels.bluesky.client import FirehoseClient
    from socialdesk.channels.bluesky.identity import PUBLIC_PLC, IdentityResolver
    from socialdesk.channels.bluesky.notifications import NotificationsPoller
    from socialdesk.channels.bluesky.parse import post_from_record
    from socialdesk.channels.bluesky.send import BlueskySender
    from socialdesk.channels.bluesky.xrpc import Credentials, XrpcSession

_HOMES = {
    "PUBLIC_PLC": "identity",
    "PUBLIC_RELAY": "account",
    "BlueskyAccount": "account",
    "BlueskySender": "send",
    "Credentials": "xrpc",
    "FirehoseClient": "client",
    "IdentityResolver": "identity",
    "NotificationsPoller": "notifications",
    "XrpcSession": "xrpc",
    "post_from_record": "parse",
}

__all__ = [
    "PUBLIC_PLC",
    "PUBLIC_RELAY",
    "BlueskyAccount",
    "BlueskySender",
    "Credentials",
    "FirehoseClient",
    "IdentityResolver",
    "NotificationsPoller",
    "XrpcSession",
    "post_from_record",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
