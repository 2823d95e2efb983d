"""Bluesky chat (direct messages): ``chat.bsky.convo.*`` payloads -> private posts, and sending one.

Chat is not on the brand's PDS: every call goes to the PDS with the header
``atproto-proxy: did:web:api.bsky.chat#bsky_chat``, which forwards it to the chat service (the app
password must allow direct messages). A message's post id is ``bsky-chat:<convoId>:<messageId>`` and
its conversation ``bsky-chat:<convoId>``, so they never collide with posts (``at://`` uris), and a reply
knows its conversation from the message it answers.

Shapes (lexicons ``chat.bsky.convo.defs``): a ``messageView`` is ``{id, rev, text, facets?, embed?,
sender: {did}, sentAt}``; ``deletedMessageView`` and ``systemMessageView`` carry no text and are
skipped. ``getMessages`` answers ``{messages: [...], cursor?}`` newest first; ``getLog`` answers
``{logs: [...], cursor?}`` whose ``logCreateMessage`` entries hold ``{convoId, message}``; a
``convoView`` lists its ``members`` (``{did, handle, displayName?}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socialdesk.channels.bluesky.parse import _timestamp, json_safe
from socialdesk.channels.framework import PostDict

CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
PROXY_HEADERS = {"atproto-proxy": CHAT_PROXY}
PREFIX = "bsky-chat:"
MESSAGE_VIEW = "chat.bsky.convo.defs#messageView"
CREATE_MESSAGE = "chat.bsky.convo.defs#logCreateMessage"
MAX_GRAPHEMES = 1000  # chat.bsky.convo.defs#messageInput text: maxGraphemes
MAX_BYTES = 10_000  # and maxLength (bytes)

Members = Mapping[str, Mapping[str, Any]]  # by DID: {did, handle, displayName?}


def message_id(convo_id: str, message: str) -> str:
    return f"{PREFIX}{convo_id}:{message}"


def convo_of(post_id: str | None) -> str | None:
    """The chat conversation a chat message's post id belongs to; None for anything else."""
    if not post_id or not post_id.startswith(PREFIX):
        return None
    convo, _, rest = post_id[len(PREFIX) :].partition(":")
    return convo if convo and rest else None


def members_by_did(convo: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """A ``convoView``'s members by DID."""
    found = convo.get("members") or []
    return {str(m["did"]): m for m in found if isinstance(m, dict) and m.get("did")}


def message_post(message: Mapping[str, Any], convo_id: str, members: Members) -> PostDict | None:
    """A ``messageView`` as a private post; None for deleted and system messages."""
    kind = message.get("$type", MESSAGE_VIEW)
    sender = message.get("sender")
    if kind != MESSAGE_VIEW or not isinstance(sender, dict) or not sender.get("did") or "text" not in message:
        return None
    did = str(sender["did"])
    profile = members.get(did) or {}
    author: dict[str, Any] = {"id": did, "handle": str(profile.get("handle") or did)}
    if profile.get("displayName"):
        author["name"] = str(profile["displayName"])[:200]
    return {
        "id": message_id(convo_id, str(message["id"])),
        "channel": "bluesky",
        "text": str(message.get("text") or ""),
        "created_at": _timestamp(message.get("sentAt"), None),
        "author": author,
        "conversation_id": f"{PREFIX}{convo_id}",
        "is_repost": False,
        "visibility": "private",
        "raw": {"convoId": convo_id, "message": json_safe(dict(message))},
    }


def messages_page(payload: Mapping[str, Any], convo_id: str, members: Members) -> list[PostDict]:
    """A ``chat.bsky.convo.getMessages`` page, oldest first (the page comes newest first)."""
    found = [message_post(m, convo_id, members) for m in payload.get("messages") or [] if isinstance(m, dict)]
    return [post for post in reversed(found) if post is not None]


def log_page(payload: Mapping[str, Any], members: Mapping[str, Members]) -> list[PostDict]:
    """The new messages of a ``chat.bsky.convo.getLog`` page, in log order; ``members`` by convo id."""
    posts: list[PostDict] = []
    for entry in payload.get("logs") or []:
        if not isinstance(entry, dict) or entry.get("$type") != CREATE_MESSAGE:
            continue
        convo_id, message = str(entry.get("convoId") or ""), entry.get("message")
        if convo_id and isinstance(message, dict):
            post = message_post(message, convo_id, members.get(convo_id) or {})
            if post is not None:
                posts.append(post)
    return posts
