"""What each network lets the brand do, in one place: whether a conversation there can take a reply
sent from socialdesk, and how long a private message there may be. Pure tables keyed by network name:
each network's descriptor in ``channels/`` points at its entries, and code outside ``channels/`` asks
here (or the network registry, ``channels/registry.py``) instead of naming networks. Which networks send
through a stored account is the registry's to say (a descriptor with a sender), not this module's.

A feed (RSS) and a generic webhook source cannot: they have nobody to answer and no way back, so a
reply there would be "sent" to nobody. Their conversations are answered elsewhere (the customer's
other channel, e-mail, phone), and the agent records that explicitly. X, Mastodon and Bluesky send
through the workspace's channel account; the other networks of the post format are answered through
the dispatcher's default sender (the demo's loopback) until their senders exist.
"""

from __future__ import annotations

from socialdesk.domain.post import CHANNELS
from socialdesk.domain.text_length import LengthRule, count_graphemes, rule

__all__ = [
    "EMAIL_NETWORK",
    "LETTER_NETWORKS",
    "NO_REPLY_NETWORKS",
    "PRIVATE_MESSAGES",
    "PRIVATE_ONLY_NETWORKS",
    "REPLY_NETWORKS",
    "can_reply",
    "only_private",
    "private_limit",
    "private_rule",
    "signs_private",
    "why_no_reply",
]

NO_REPLY_NETWORKS = frozenset({"rss", "webhook"})
REPLY_NETWORKS = frozenset(CHANNELS) - NO_REPLY_NETWORKS


def _utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


# The longest private message each network that holds them takes: an X DM (code points), a Mastodon
# direct status (the status limit, counted as Mastodon counts), a Bluesky chat message (graphemes),
# a Messenger message (2,000 characters), an Instagram direct message (1,000 bytes of UTF-8) and an
# e-mail (socialdesk's own cap).
PRIVATE_MESSAGES = {
    "x": LengthRule(10_000),
    "mastodon": LengthRule(500, rule("mastodon").counter),
    "bluesky": LengthRule(1000, count_graphemes),
    "facebook": LengthRule(2000),
    "instagram": LengthRule(1000, _utf8_bytes),
    "email": LengthRule(20_000),  # no limit of its own: socialdesk keeps a letter under 20,000 characters
}

# The network a handoff to e-mail sends through (the workspace's e-mail channel account).
EMAIL_NETWORK = "email"
# Networks whose private messages are letters: signed by the agent who wrote them (name and signature
# under the text), where a public reply on a short-message network gets only the initials.
LETTER_NETWORKS = frozenset({EMAIL_NETWORK})
# Networks where everything is private (an e-mail is seen by its correspondents only): no public reply.
PRIVATE_ONLY_NETWORKS = frozenset({EMAIL_NETWORK})

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


def private_rule(network: str) -> LengthRule | None:
    """How ``network`` counts a private message and the most it takes (None: it holds none we know)."""
    return PRIVATE_MESSAGES.get(network)


def private_limit(network: str) -> int | None:
    """The longest private message ``network`` takes (None: none we enforce)."""
    found = private_rule(network)
    return found.limit if found is not None else None


def signs_private(network: str) -> bool:
    """Whether a private message on ``network`` carries the agent's signature (an e-mail does)."""
    return network in LETTER_NETWORKS


def only_private(network: str) -> bool:
    """Whether every conversation on ``network`` is private, so a reply there is never public."""
    return network in PRIVATE_ONLY_NETWORKS
