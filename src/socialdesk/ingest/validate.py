"""Validate normalized post dicts against the published JSON Schema and build domain posts."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from socialdesk.domain.post import Author, Location, Post, Visibility

MAX_INTEGER = 2**63 - 1
"""The largest integer a post may hold (`author.followers`): what both databases store."""
FIRST_YEAR, LAST_YEAR = 1970, 9999
"""The years a post's `created_at` may fall in (UTC)."""
MAX_RAW_DEPTH = 100
"""How deeply `raw` (the network's payload) may nest arrays and objects; real payloads nest about 10."""
QUOTED_CHARS = 200
"""An error message quotes at most this many characters of the value it refuses."""


def quote(value: object) -> str:
    """`repr(value)`, cut to QUOTED_CHARS characters (saying how long the value was) when longer."""
    text = repr(value)
    if len(text) <= QUOTED_CHARS:
        return text
    size = f"{len(value)} characters" if isinstance(value, str) else f"{len(text)} characters written out"
    return f"{text[:QUOTED_CHARS]}... ({size})"


def nesting_depth_over(value: object, limit: int) -> bool:
    """Whether `value` nests lists and dicts more than `limit` levels deep (iteratively: no recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


@dataclass(frozen=True)
class PostError:
    """Why one input record was refused: where (line), which field, and what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "input"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@cache
def post_schema() -> dict[str, Any]:
    text = resources.files("socialdesk.ingest").joinpath("post.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(post_schema())


_OPTIONAL_STRINGS = (
    ("in_reply_to", 200),
    ("conversation_id", 200),
    ("lang", 8),
    ("url", 2000),
    ("repost_of", 200),
)


_VISIBILITIES = ("public", "private")


def _text(value: object, low: int, high: int) -> bool:
    return type(value) is str and low <= len(value) <= high


def plainly_valid(data: dict[str, Any]) -> bool:
    """A quick check that accepts only records the JSON Schema accepts (a property test holds it to
    that); most posts pass it and skip the full validator, which is kept for the rest and their errors.
    """
    author, channel = data.get("author"), data.get("channel")
    if not (
        _text(data.get("id"), 1, 200)
        and type(channel) is str
        and channel in _channels()
        and _text(data.get("text"), 0, 100_000)
        and type(data.get("created_at")) is str
        and _plain_year(data["created_at"])
        and type(author) is dict
        and _text(author.get("id"), 1, 200)
        and _text(author.get("handle"), 1, 200)
    ):
        return False
    if "name" in author and not _text(author["name"], 0, 200):
        return False
    followers = author.get("followers", 0)
    if "followers" in author and not (type(followers) is int and 0 <= followers <= MAX_INTEGER):
        return False
    if "verified" in author and type(author["verified"]) is not bool:
        return False
    for key, longest in _OPTIONAL_STRINGS:
        value = data.get(key)
        if value is not None and not _text(value, 0, longest):
            return False
    if "is_repost" in data and type(data["is_repost"]) is not bool:
        return False
    if "visibility" in data and data["visibility"] not in _VISIBILITIES:
        return False
    location = data.get("location")
    return location is None or (type(location) is dict and _plain_location(location))


def _plain_year(created_at: str) -> bool:
    """The schema's `created_at` pattern: the text starts with a year 1970-9999 and a dash."""
    year = created_at[:4]
    return created_at[4:5] == "-" and year.isascii() and year.isdigit() and year >= "1970"


def _coordinate(value: object, limit: float) -> bool:
    if value is None:
        return True
    if type(value) is not int and type(value) is not float:
        return False
    return math.isfinite(value) and -limit <= value <= limit


def _plain_location(location: dict[str, Any]) -> bool:
    return (
        ("text" not in location or type(location["text"]) is str)
        and _coordinate(location.get("lat"), 90)
        and _coordinate(location.get("lon"), 180)
    )


@cache
def _channels() -> frozenset[str]:
    return frozenset(post_schema()["properties"]["channel"]["enum"])


def parse_datetime(value: str) -> datetime:
    """ISO 8601 with a zone; `Z` accepted; in UTC, within the years 1970-9999. Raises ValueError with
    a plain reason."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{quote(value)} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{quote(value)} has no time zone (add Z or +00:00)")
    try:
        in_utc = parsed.astimezone(UTC)
    except OverflowError:
        in_utc = None
    if in_utc is None or not FIRST_YEAR <= in_utc.year <= LAST_YEAR:
        raise ValueError(f"{quote(value)} is outside the years {FIRST_YEAR}-{LAST_YEAR} (UTC)")
    return parsed


_STORED_STRINGS = ("id", "text", "in_reply_to", "conversation_id", "lang", "url", "repost_of")


def _unstorable(data: dict[str, Any]) -> tuple[str, str] | None:
    """The first stored text field no database can store, with why: a lone surrogate (JSON lets
    `\\ud800` through) or a NUL character (PostgreSQL refuses it); None when every field can be stored."""
    author = data["author"]
    location = data.get("location") or {}
    fields = [(k, data.get(k)) for k in _STORED_STRINGS]
    fields += [(f"author.{k}", author.get(k)) for k in ("id", "handle", "name")]
    fields.append(("location.text", location.get("text")))
    for name, value in fields:
        if type(value) is not str:
            continue
        if "\x00" in value:
            return name, "has a NUL character (\\u0000): not storable text"
        if not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError:
                return name, "has a lone surrogate (an unpaired \\ud800-\\udfff escape): not valid Unicode"
    return None


def _date_problem(value: str) -> str:
    """What is wrong with a `created_at` the schema's pattern refused (parse_datetime says it best)."""
    try:
        parse_datetime(value)
    except ValueError as exc:
        return str(exc)
    return f"{quote(value)} is outside the years {FIRST_YEAR}-{LAST_YEAR}"


def _schema_message(message: str, instance: object) -> str:
    """The JSON Schema validator's message with the value it quotes cut to QUOTED_CHARS characters."""
    written = repr(instance)
    if len(written) > QUOTED_CHARS and written in message:
        message = message.replace(written, quote(instance))
    return message if len(message) <= 2 * QUOTED_CHARS else message[: 2 * QUOTED_CHARS] + "..."


def post_from_dict(data: Any, line: int = 0) -> Post | PostError:
    """A Post, or the first thing wrong with the record (named by line and field path)."""
    if not isinstance(data, dict):
        return PostError(line, "", f"expected a JSON object, got {type(data).__name__}")
    errors = (
        []
        if plainly_valid(data)
        else sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    )
    if errors:
        err = errors[0]
        path = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            path = f"{path}.{missing}" if path else missing
            return PostError(line, path, "is required")
        if path == "created_at" and err.validator == "pattern":
            return PostError(line, path, _date_problem(str(err.instance)))
        if err.validator == "maximum":
            shown = str(err.instance)
            if len(shown) > QUOTED_CHARS:
                shown = f"{shown[:QUOTED_CHARS]}... ({len(shown)} digits)"
            return PostError(line, path, f"{shown} is larger than {err.validator_value}")
        return PostError(line, path, _schema_message(err.message, err.instance))
    broken = _unstorable(data)
    if broken is not None:
        return PostError(line, *broken)
    if nesting_depth_over(data.get("raw"), MAX_RAW_DEPTH):
        return PostError(line, "raw", f"nested deeper than {MAX_RAW_DEPTH} levels")
    loc = data.get("location")
    for axis in ("lat", "lon"):  # JSON parsers let NaN through, and the schema's bounds cannot see it
        value = loc.get(axis) if type(loc) is dict else None
        if value is not None and not math.isfinite(value):
            return PostError(line, f"location.{axis}", f"{value} is not a finite number")
    try:
        created = parse_datetime(data["created_at"])
    except ValueError as exc:
        return PostError(line, "created_at", str(exc))
    a = data["author"]
    return Post(
        id=data["id"],
        channel=data["channel"],
        text=data["text"],
        created_at=created,
        author=Author(
            id=a["id"],
            handle=a["handle"],
            name=a.get("name", ""),
            followers=a.get("followers"),
            verified=a.get("verified", False),
        ),
        in_reply_to=data.get("in_reply_to") or None,
        conversation_id=data.get("conversation_id"),
        lang=data.get("lang"),
        url=data.get("url"),
        location=Location(loc.get("text", ""), loc.get("lat"), loc.get("lon")) if loc else None,
        is_repost=data.get("is_repost", False),
        repost_of=data.get("repost_of") or None,
        visibility=Visibility(data.get("visibility", "public")),
        rating=data.get("rating"),
        raw=data.get("raw"),
    )


def post_to_dict(post: Post) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": post.id,
        "channel": post.channel,
        "text": post.text,
        "created_at": post.created_at.isoformat(),
        "author": {"id": post.author.id, "handle": post.author.handle, "name": post.author.name},
        "is_repost": post.is_repost,
    }
    if post.author.followers is not None:
        out["author"]["followers"] = post.author.followers
    if post.author.verified:
        out["author"]["verified"] = True
    for key in ("in_reply_to", "conversation_id", "lang", "url", "repost_of"):
        if getattr(post, key):
            out[key] = getattr(post, key)
    if post.visibility is not Visibility.PUBLIC:
        out["visibility"] = post.visibility.value
    if post.rating is not None:
        out["rating"] = post.rating
    return out
