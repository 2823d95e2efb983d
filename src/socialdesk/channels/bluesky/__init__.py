"""The Bluesky (AT Protocol) channel: firehose/notifications in, replies with facets out."""

from socialdesk.channels.bluesky.account import PUBLIC_RELAY, BlueskyAccount
from socialdesk.channels.bluesky.client import FirehoseClient
from socialdesk.channels.bluesky.identity import PUBLIC_PLC, IdentityResolver
from socialdesk.channels.bluesky.notifications import NotificationsPoller
from socialdesk.channels.bluesky.parse import post_from_record
from socialdesk.channels.bluesky.send import BlueskySender
from socialdesk.channels.bluesky.xrpc import Credentials, XrpcSession

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
