"""X Account Activity (v1.1) webhook bodies -> normalized post dicts, checked field by field (pure).

A signed body proves it came from X (or from whoever holds the consumer secret), not that it is
well formed. Every field read here is checked for its type and range first; an event that fails
is skipped and reported as a :class:`PostError` with its position, the field path
(``tweet_create_events.user.id_str``) and what is wrong, and the rest of the body is still
ingested. Only a body whose top level is wrong (``tweet_create_events`` not a list, ...) raises
:class:`MalformedActivity`.

The author is always the network's own user, so the brand's tweets and DMs keep the brand's handle
and ingest sees them as outbound. Direct messages are ``private`` posts.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from socialdesk.ingest.validate import PostError

PostDict = dict[str, Any]
MAX_COUNT = 2**63 - 1  # the largest follower count a post stores (BIGINT)
_NO_LANGUAGE = {"und", "zxx", "qme", "qht", "qam", "qct", "qst"}
_V1_TIME = "%a %b %d %H:%M:%S %z %Y"


class MalformedActivity(ValueError):
    """A field of the event (or of the body) is not what X sends: ``path`` and ``problem`` say which."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass
class ActivityBatch:
    posts: list[PostDict] = field(default_factory=list)
    errors: list[PostError] = field(default_factory=list)  # skipped events, by position in their list


_KINDS: dict[type, str] = {dict: "object", list: "array", str: "string", type(None): "null"}


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedActivity(path, f"must be an object, not {_kind(value)}")
    return value


def _text(obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        wanted = "a non-empty string" if required else "a string"
        raise MalformedActivity(f"{path}.{key}", f"must be {wanted}, not {_kind(value)}")
    return value


def _count(obj: dict[str, Any], key: str, path: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise MalformedActivity(f"{path}.{key}", "must be a whole number from 0 to 2^63-1")
    return value


def _lang(value: Any) -> str | None:
    return value if isinstance(value, str) and value and value not in _NO_LANGUAGE else None


def _in_range(moment: datetime, path: str) -> str:
    if not 1970 <= moment.year <= 9999:
        raise MalformedActivity(path, f"year {moment.year} is outside 1970-9999")
    return moment.isoformat()


def _v1_time(value: str, path: str) -> str:
    try:
        moment = datetime.strptime(value, _V1_TIME).astimezone(UTC)
    except (ValueError, OverflowError):
        raise MalformedActivity(path, 'must be a date like "Wed Apr 03 17:05:12 +0000 2024"') from None
    return _in_range(moment, path)


def _author_v1(user: dict[str, Any], path: str) -> dict[str, Any]:
    user_id = _text(user, "id_str", path, required=True)
    author: dict[str, Any] = {"id": user_id, "handle": _text(user, "screen_name", path) or user_id}
    name = _text(user, "name", path)
    if name:
        author["name"] = name[:200]
    followers = _count(user, "followers_count", path)
    if followers is not None:
        author["followers"] = followers
    if user.get("verified") is True:
        author["verified"] = True
    return author


def _v1_text(tweet: dict[str, Any], path: str) -> str:
    extended = tweet.get("extended_tweet")
    full = None
    if extended is not None:
        full = _text(_object(extended, f"{path}.extended_tweet"), "full_text", f"{path}.extended_tweet")
    return full or _text(tweet, "full_text", path) or _text(tweet, "text", path) or ""


def _v1_location(tweet: dict[str, Any], path: str) -> dict[str, Any] | None:
    coordinates = tweet.get("coordinates")
    place = tweet.get("place")
    place_name = _text(_object(place, f"{path}.place"), "full_name", f"{path}.place") if place else None
    points = _object(coordinates, f"{path}.coordinates").get("coordinates") if coordinates else None
    if points:
        if not (isinstance(points, list) and len(points) == 2):
            raise MalformedActivity(f"{path}.coordinates.coordinates", "must be [longitude, latitude]")
        return {"text": place_name or "", "lon": points[0], "lat": points[1]}
    return {"text": place_name} if place_name else None


def tweet_v1(value: Any, path: str = "tweet") -> PostDict:
    """One v1.1 tweet object (``tweet_create_events`` item)."""
    tweet = _object(value, path)
    tweet_id = _text(tweet, "id_str", path, required=True)
    author = _author_v1(_object(tweet.get("user"), f"{path}.user"), f"{path}.user")
    retweeted = tweet.get("retweeted_status")
    repost_of = None
    if retweeted is not None:
        where = f"{path}.retweeted_status"
        repost_of = _text(_object(retweeted, where), "id_str", where, required=True)
    post: PostDict = {
        "id": tweet_id,
        "channel": "x",
        "text": html.unescape(_v1_text(tweet, path)),
        "created_at": _v1_time(_text(tweet, "created_at", path, required=True) or "", f"{path}.created_at"),
        "author": author,
        "in_reply_to": _text(tweet, "in_reply_to_status_id_str", path),
        "lang": _lang(tweet.get("lang")),
        "url": f"https://x.com/{author['handle']}/status/{tweet_id}",
        "is_repost": retweeted is not None,
        "repost_of": repost_of,
        "raw": tweet,
    }
    location = _v1_location(tweet, path)
    if location:
        post["location"] = location
    return post


def dm_conversation_id(a: str, b: str) -> str:
    """X's id of a one-to-one DM conversation: both user ids, smaller first, joined by ``-``."""
    low, high = sorted((a, b), key=lambda v: (len(v), v))
    return f"{low}-{high}"


def _dm_time(event: dict[str, Any], path: str) -> str:
    stamp = event.get("created_timestamp")
    text = stamp if isinstance(stamp, str) else str(stamp) if type(stamp) is int else ""
    where = f"{path}.created_timestamp"
    if not (text.isascii() and text.isdigit() and len(text) <= 15):
        raise MalformedActivity(where, "must be Unix milliseconds")
    try:
        moment = datetime.fromtimestamp(int(text) / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        raise MalformedActivity(where, "is outside years 1970-9999") from None
    return _in_range(moment, where)


def dm_event_v1(value: Any, users: dict[str, Any], path: str = "event") -> PostDict | None:
    """One ``direct_message_events`` item (None for events other than a message)."""
    event = _object(value, path)
    if event.get("type") != "message_create":
        return None
    create = _object(event.get("message_create"), f"{path}.message_create")
    where = f"{path}.message_create"
    sender = _text(create, "sender_id", where, required=True) or ""
    recipient = _text(_object(create.get("target"), f"{where}.target"), "recipient_id", f"{where}.target")
    data = _object(create.get("message_data"), f"{where}.message_data")
    found = users.get(sender)
    user = dict(found) if isinstance(found, dict) else {}
    user["id_str"] = user.get("id_str") or user.get("id") or sender
    return {
        "id": _text(event, "id", path, required=True),
        "channel": "x",
        "text": html.unescape(_text(data, "text", f"{where}.message_data") or ""),
        "created_at": _dm_time(event, path),
        "author": _author_v1(user, f"users.{sender[:40]}"),
        "conversation_id": dm_conversation_id(sender, recipient or sender),
        "is_repost": False,
        "visibility": "private",
        "raw": event,
    }


def _events(payload: dict[str, Any], key: str) -> list[Any]:
    events = payload.get(key)
    if events is None:
        return []
    if not isinstance(events, list):
        raise MalformedActivity(key, f"must be an array, not {_kind(events)}")
    return events


def read_account_activity(payload: Any) -> ActivityBatch:
    """An Account Activity webhook POST body: tweets and direct messages; other events ignored.

    Raises :class:`MalformedActivity` when the body's top level is wrong; a bad event is skipped and
    reported in ``errors``: its position in its list (1-based) and the field path from the list's
    name, e.g. index 2, field ``tweet_create_events.user.id_str``.
    """
    body = _object(payload, "body")
    batch = ActivityBatch()
    tweets = _events(body, "tweet_create_events")
    messages = _events(body, "direct_message_events")
    users = body.get("users")
    if users is not None and not isinstance(users, dict):
        raise MalformedActivity("users", f"must be an object, not {_kind(users)}")
    for position, tweet in enumerate(tweets, start=1):
        try:
            batch.posts.append(tweet_v1(tweet, "tweet_create_events"))
        except MalformedActivity as exc:
            batch.errors.append(PostError(position, exc.path, exc.problem))
    for position, event in enumerate(messages, start=1):
        try:
            post = dm_event_v1(event, users or {}, "direct_message_events")
        except MalformedActivity as exc:
            batch.errors.append(PostError(position, exc.path, exc.problem))
            continue
        if post is not None:
            batch.posts.append(post)
    return batch


def account_activity(payload: Any) -> list[PostDict]:
    """The posts of an Account Activity body, skipping malformed events (:func:`read_account_activity`)."""
    return read_account_activity(payload).posts
