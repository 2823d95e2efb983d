"""Bluesky records -> normalized post dicts (pure).

Input is one record of a repository (``app.bsky.feed.post`` or ``app.bsky.feed.repost``) as the
firehose or ``com.atproto.repo.getRecord`` carries it, with its ``at://`` uri, its cid and its author
(DID and handle). The post id is the ``at://`` uri; a reply points at its parent's uri and belongs to
the conversation of its thread root's uri (a post that starts a thread is its own root).
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from socialdesk.channels.framework import PostDict

POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"
MENTION = "app.bsky.richtext.facet#mention"
LINK = "app.bsky.richtext.facet#link"
WEB_APP = "https://bsky.app"


def split_uri(uri: str) -> tuple[str, str, str]:
    """``at://did/collection/rkey`` -> (did, collection, rkey). Raises ValueError otherwise."""
    if not uri.startswith("at://"):
        raise ValueError(f"{uri!r} is not an at:// uri")
    parts = uri[len("at://") :].split("/")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"{uri!r} is not an at://repo/collection/rkey uri")
    return parts[0], parts[1], parts[2]


def uri_author(uri: str | None) -> str | None:
    """The repository (DID) of an ``at://`` uri, or None when it is not one."""
    if not uri:
        return None
    try:
        return split_uri(uri)[0]
    except ValueError:
        return None


def reply_refs(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """(parent uri, root uri) of a post record; (None, None) for a post that replies to nothing."""
    reply = record.get("reply")
    if not isinstance(reply, dict):
        return None, None
    parent = reply.get("parent")
    root = reply.get("root")
    parent_uri = parent.get("uri") if isinstance(parent, dict) else None
    root_uri = root.get("uri") if isinstance(root, dict) else None
    return parent_uri or None, root_uri or parent_uri or None


def mentioned_dids(record: dict[str, Any]) -> set[str]:
    """The DIDs a post's mention facets point at."""
    found: set[str] = set()
    for facet in record.get("facets") or []:
        for feature in facet.get("features") or [] if isinstance(facet, dict) else []:
            if isinstance(feature, dict) and feature.get("$type") == MENTION and feature.get("did"):
                found.add(str(feature["did"]))
    return found


def quoted_uri(record: dict[str, Any]) -> str | None:
    """The uri of the post a quote post embeds (``app.bsky.embed.record`` or ``recordWithMedia``)."""
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return None
    inner = embed.get("record")
    if isinstance(inner, dict) and isinstance(inner.get("record"), dict):  # recordWithMedia
        inner = inner["record"]
    return inner.get("uri") if isinstance(inner, dict) else None


def post_url(handle: str, uri: str) -> str | None:
    try:
        did, collection, rkey = split_uri(uri)
    except ValueError:
        return None
    if collection != POST:
        return None
    return f"{WEB_APP}/profile/{handle if '.' in handle else did}/post/{rkey}"


def post_from_record(
    uri: str,
    cid: str,
    record: dict[str, Any],
    author_did: str,
    author_handle: str | None,
    *,
    seen_at: str | None = None,
) -> PostDict | None:
    """The normalized post for a post or repost record; None for any other record type.

    ``seen_at`` (when the network saw the record, e.g. the firehose event's ``time``) stands in for a
    ``createdAt`` that is missing or has no time zone: records are written by clients, not checked.
    """
    kind = record.get("$type")
    if kind not in (POST, REPOST):
        return None
    handle = author_handle or author_did
    created_at = _timestamp(record.get("createdAt"), seen_at)
    post: PostDict = {
        "id": uri,
        "channel": "bluesky",
        "text": "",
        "created_at": created_at,
        "author": {"id": author_did, "handle": handle},
        "in_reply_to": None,
        "conversation_id": None,
        "lang": None,
        "url": post_url(handle, uri),
        "is_repost": kind == REPOST,
        "repost_of": None,
        "raw": {"uri": uri, "cid": cid, "record": json_safe(record)},
    }
    if kind == REPOST:
        subject = record.get("subject")
        post["repost_of"] = subject.get("uri") if isinstance(subject, dict) else None
        return post
    parent, root = reply_refs(record)
    post["text"] = str(record.get("text") or "")
    post["in_reply_to"] = parent
    post["conversation_id"] = root or uri
    post["lang"] = _lang(record.get("langs"))
    return post


def _lang(langs: Any) -> str | None:
    if not isinstance(langs, list) or not langs or not isinstance(langs[0], str) or not langs[0]:
        return None
    tag: str = langs[0]
    return tag if len(tag) <= 8 else tag.split("-")[0][:8]


def _timestamp(value: Any, fallback: str | None) -> str:
    for candidate in (value, fallback):
        if not isinstance(candidate, str):
            continue
        try:
            parsed = datetime.fromisoformat(candidate.replace("Z", "+00:00"))
        except ValueError:
            continue
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def json_safe(value: Any) -> Any:
    """A decoded DAG-CBOR value as plain JSON: bytes become ``{"$bytes": base64}`` as in atproto JSON."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return {"$bytes": base64.b64encode(bytes(value)).decode().rstrip("=")}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
