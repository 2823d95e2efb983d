"""X payloads -> normalized post dicts (pure).

API v2 (filtered stream lines, mentions timeline pages, direct message event pages: ``private``
posts) here; v1.1 (Account Activity webhook events: ``tweet_create_events``,
``direct_message_events``) in :mod:`socialdesk.channels.x.activity`, whose
reader checks every field of a signed but possibly malformed body. The author is always the
network's own user, so the brand's tweets and DMs keep the brand's handle and ingest sees them as
outbound.
"""

from __future__ import annotations

import html
from typing import Any

from socialdesk.channels.x.activity import account_activity, dm_conversation_id

__all__ = [
    "account_activity",
    "dm_conversation_id",
    "dm_event_v2",
    "dm_events_page",
    "stream_line",
    "tweet_v2",
    "tweets_page",
]

PostDict = dict[str, Any]

_NO_LANGUAGE = {"und", "zxx", "qme", "qht", "qam", "qct", "qst"}


def _lang(value: Any) -> str | None:
    return value if isinstance(value, str) and value and value not in _NO_LANGUAGE else None


def _author_v2(user: dict[str, Any] | None, author_id: str) -> dict[str, Any]:
    if not user:
        return {"id": author_id, "handle": author_id}
    author: dict[str, Any] = {"id": user["id"], "handle": user.get("username") or user["id"]}
    if user.get("name"):
        author["name"] = user["name"][:200]
    followers = (user.get("public_metrics") or {}).get("followers_count")
    if isinstance(followers, int):
        author["followers"] = followers
    if user.get("verified") is True:
        author["verified"] = True
    return author


def tweet_v2(tweet: dict[str, Any], users: dict[str, dict[str, Any]]) -> PostDict:
    """One v2 tweet object, with ``users`` (``includes.users`` by id) for its author."""
    author = _author_v2(users.get(tweet.get("author_id", "")), tweet.get("author_id", "unknown"))
    refs = {ref["type"]: ref["id"] for ref in tweet.get("referenced_tweets") or []}
    text = (tweet.get("note_tweet") or {}).get("text") or tweet.get("text", "")
    post: PostDict = {
        "id": tweet["id"],
        "channel": "x",
        "text": html.unescape(text),
        "created_at": tweet["created_at"],
        "author": author,
        "in_reply_to": refs.get("replied_to"),
        "conversation_id": tweet.get("conversation_id"),
        "lang": _lang(tweet.get("lang")),
        "url": f"https://x.com/{author['handle']}/status/{tweet['id']}",
        "is_repost": "retweeted" in refs,
        "repost_of": refs.get("retweeted"),
        "raw": tweet,
    }
    return post


def _users_by_id(includes: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {user["id"]: user for user in (includes or {}).get("users", [])}


def stream_line(payload: dict[str, Any]) -> list[PostDict]:
    """One JSON line of ``GET /2/tweets/search/stream`` (``data`` + ``includes`` + ``matching_rules``)."""
    tweet = payload.get("data")
    if not isinstance(tweet, dict):
        return []
    post = tweet_v2(tweet, _users_by_id(payload.get("includes")))
    post["raw"] = {
        "data": tweet,
        "includes": payload.get("includes", {}),
        "matching_rules": payload.get("matching_rules", []),
    }
    return [post]


def tweets_page(payload: dict[str, Any]) -> list[PostDict]:
    """A page of a v2 timeline (``GET /2/users/:id/mentions``): ``data`` list + ``includes``."""
    users = _users_by_id(payload.get("includes"))
    return [tweet_v2(tweet, users) for tweet in payload.get("data") or []]


def dm_event_v2(event: dict[str, Any], users: dict[str, dict[str, Any]]) -> PostDict | None:
    """One v2 DM event (``GET /2/dm_events``): a ``private`` post for a ``MessageCreate``, None for
    the rest (``ParticipantsJoin``, ``ParticipantsLeave``)."""
    if event.get("event_type", "MessageCreate") != "MessageCreate" or not event.get("sender_id"):
        return None
    sender = str(event["sender_id"])
    return {
        "id": str(event["id"]),
        "channel": "x",
        "text": html.unescape(str(event.get("text") or "")),
        "created_at": event["created_at"],
        "author": _author_v2(users.get(sender), sender),
        "conversation_id": event.get("dm_conversation_id"),
        "is_repost": False,
        "visibility": "private",
        "raw": event,
    }


def dm_events_page(payload: dict[str, Any]) -> list[PostDict]:
    """A page of ``GET /2/dm_events`` (``data`` newest first, ``includes.users`` by ``sender_id``)."""
    users = _users_by_id(payload.get("includes"))
    found = (dm_event_v2(event, users) for event in payload.get("data") or [])
    return [post for post in found if post is not None]
