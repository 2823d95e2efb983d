"""X payloads -> normalized post dicts (pure).

API v2 (filtered stream lines, mentions timeline pages) and v1.1 (Account Activity webhook events:
``tweet_create_events``, ``direct_message_events``). The author is always the network's own user, so
the brand's tweets and DMs keep the brand's handle and ingest sees them as outbound.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

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


# --- v1.1 (Account Activity API) ---------------------------------------------------------------


def _v1_time(value: str) -> str:
    return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC).isoformat()


def _author_v1(user: dict[str, Any]) -> dict[str, Any]:
    author: dict[str, Any] = {"id": user["id_str"], "handle": user.get("screen_name") or user["id_str"]}
    if user.get("name"):
        author["name"] = user["name"][:200]
    if isinstance(user.get("followers_count"), int):
        author["followers"] = user["followers_count"]
    if user.get("verified") is True:
        author["verified"] = True
    return author


def _v1_text(tweet: dict[str, Any]) -> str:
    extended = tweet.get("extended_tweet") or {}
    return str(extended.get("full_text") or tweet.get("full_text") or tweet.get("text") or "")


def tweet_v1(tweet: dict[str, Any]) -> PostDict:
    author = _author_v1(tweet["user"])
    retweeted = tweet.get("retweeted_status")
    post: PostDict = {
        "id": tweet["id_str"],
        "channel": "x",
        "text": html.unescape(_v1_text(tweet)),
        "created_at": _v1_time(tweet["created_at"]),
        "author": author,
        "in_reply_to": tweet.get("in_reply_to_status_id_str"),
        "lang": _lang(tweet.get("lang")),
        "url": f"https://x.com/{author['handle']}/status/{tweet['id_str']}",
        "is_repost": retweeted is not None,
        "repost_of": retweeted["id_str"] if retweeted else None,
        "raw": tweet,
    }
    location = _v1_location(tweet)
    if location:
        post["location"] = location
    return post


def _v1_location(tweet: dict[str, Any]) -> dict[str, Any] | None:
    coordinates = (tweet.get("coordinates") or {}).get("coordinates")
    place = (tweet.get("place") or {}).get("full_name", "")
    if coordinates and len(coordinates) == 2:
        return {"text": place, "lon": coordinates[0], "lat": coordinates[1]}
    return {"text": place} if place else None


def dm_conversation_id(a: str, b: str) -> str:
    """X's id of a one-to-one DM conversation: both user ids, smaller first, joined by ``-``."""
    low, high = sorted((a, b), key=lambda v: (len(v), v))
    return f"{low}-{high}"


def dm_event_v1(event: dict[str, Any], users: dict[str, dict[str, Any]]) -> PostDict | None:
    if event.get("type") != "message_create":
        return None
    create = event["message_create"]
    sender = create["sender_id"]
    recipient = create["target"]["recipient_id"]
    user = users.get(sender) or {"id_str": sender}
    user = {**user, "id_str": user.get("id_str") or user.get("id") or sender}
    created = datetime.fromtimestamp(int(event["created_timestamp"]) / 1000, UTC)
    return {
        "id": event["id"],
        "channel": "x",
        "text": html.unescape(create["message_data"].get("text", "")),
        "created_at": created.isoformat(),
        "author": _author_v1(user),
        "conversation_id": dm_conversation_id(sender, recipient),
        "is_repost": False,
        "raw": event,
    }


def account_activity(payload: dict[str, Any]) -> list[PostDict]:
    """An Account Activity webhook POST body: tweets and direct messages; other events ignored."""
    posts = [tweet_v1(tweet) for tweet in payload.get("tweet_create_events", [])]
    users = payload.get("users") or {}
    for event in payload.get("direct_message_events", []):
        post = dm_event_v1(event, users)
        if post is not None:
            posts.append(post)
    return posts
