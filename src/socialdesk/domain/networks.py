"""What each network lets the brand do, in one place: whether a conversation there can take a reply
sent from socialdesk. Code outside ``channels/`` asks here instead of naming networks.

A feed (RSS) and a generic webhook source cannot: they have nobody to answer and no way back, so a
reply there would be "sent" to nobody. Their conversations are answered elsewhere (the customer's
other channel, e-mail, phone), and the agent records that explicitly. X, Mastodon and Bluesky send
through the workspace's channel account; the other networks of the post format are answered through
the dispatcher's default sender (the demo's loopback) until their senders exist.
"""

from __future__ import annotations

from socialdesk.domain.post import CHANNELS

__all__ = [
    "NO_REPLY_NETWORKS",
    "PRIVATE_MESSAGE_LIMITS",
    "REPLY_NETWORKS",
    "SENDING_NETWORKS",
    "can_reply",
    "private_limit",
    "why_no_reply",
]

# The networks whose replies leave through a stored channel account (channels/senders.py).
SENDING_NETWORKS = ("bluesky", "mastodon", "x")

NO_REPLY_NETWORKS = frozenset({"rss", "webhook"})
REPLY_NETWORKS = frozenset(CHANNELS) - NO_REPLY_NETWORKS

# The longest private message each sending network takes: an X DM (characters), a Mastodon direct
# status (the status limit, counted as Mastodon counts), a Bluesky chat message (graphemes).
PRIVATE_MESSAGE_LIMITS = {"x": 10_000, "mastodon": 500, "bluesky": 1000}

_REASONS = {
    "rss": "it came from an RSS feed, which has nobody to answer",
    "webhook": "it came from a generic webhook source, which has no way back",
}


def can_reply(network: str) -> bool:
    """Whether a reply to a conversation on ``network`` can be sent from socialdesk."""
    return network in REPLY_NETWORKS


def why_no_reply(network: str) -> str:
    """Why a conversation on ``network`` cannot take a reply, for error messages and the composer."""
    reason = _REASONS.get(network, f"socialdesk has no way to send on {network} yet")
    return f"this {network} conversation cannot take a reply: {reason}"


def private_limit(network: str) -> int | None:
    """The longest private message ``network`` takes (None: none we enforce)."""
    return PRIVATE_MESSAGE_LIMITS.get(network)
