"""Validate normalized post dicts against the published JSON Schema and build domain posts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from socialdesk.domain.post import Author, Location, Post


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


def parse_datetime(value: str) -> datetime:
    """ISO 8601 with a zone; `Z` accepted. Raises ValueError with a plain reason."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone (add Z or +00:00)")
    return parsed


def post_from_dict(data: Any, line: int = 0) -> Post | PostError:
    """A Post, or the first thing wrong with the record (named by line and field path)."""
    if not isinstance(data, dict):
        return PostError(line, "", f"expected a JSON object, got {type(data).__name__}")
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        path = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            path = f"{path}.{missing}" if path else missing
            return PostError(line, path, "is required")
        return PostError(line, path, err.message)
    try:
        created = parse_datetime(data["created_at"])
    except ValueError as exc:
        return PostError(line, "created_at", str(exc))
    a = data["author"]
    loc = data.get("location")
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
    return out
