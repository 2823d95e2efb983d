"""The generic inbound webhook: any system can push normalized posts, signed with a per-source secret.

A request carries ``X-Socialdesk-Timestamp`` (Unix seconds) and ``X-Socialdesk-Signature:
sha256=<hex>``, the HMAC-SHA256 of ``timestamp + "." + raw body`` keyed with the source's secret.
Unsigned requests, bad signatures and timestamps more than 5 minutes away from now (either way, which
stops replays) are refused with a clear reason. The body is ``{"posts": [normalized posts]}``.
Pure: the web layer passes headers, raw body, secret and the current time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from socialdesk.channels.crypto import Secret
from socialdesk.ingest.validate import PostError, post_from_dict

TIMESTAMP_HEADER = "X-Socialdesk-Timestamp"
SIGNATURE_HEADER = "X-Socialdesk-Signature"
TOLERANCE_SECONDS = 300
MAX_POSTS = 1000


class WebhookRejected(Exception):
    """The request is refused; ``str(exc)`` says why (safe to send back as a 4xx body)."""


@dataclass
class WebhookBatch:
    posts: list[dict[str, Any]] = field(default_factory=list)  # valid normalized post dicts
    errors: list[PostError] = field(default_factory=list)  # the invalid ones, by position (1-based)


def sign(body: bytes, timestamp: int, secret: str | Secret) -> str:
    """The signature header value a sender computes (tests and docs use it too)."""
    key = (secret.reveal() if isinstance(secret, Secret) else secret).encode("utf-8")
    return "sha256=" + hmac.new(key, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    return next((value for key, value in headers.items() if key.lower() == lowered), None)


def verify(headers: Mapping[str, str], body: bytes, secret: str | Secret, now: datetime) -> None:
    """Raise :class:`WebhookRejected` unless the request is signed with ``secret`` and fresh."""
    stamp = _header(headers, TIMESTAMP_HEADER)
    signature = _header(headers, SIGNATURE_HEADER)
    if not stamp or not signature:
        raise WebhookRejected(f"unsigned request: {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} are required")
    try:
        timestamp = int(stamp.strip())
    except ValueError:
        raise WebhookRejected(f"{TIMESTAMP_HEADER} is not Unix seconds: {stamp[:40]!r}") from None
    skew = now.timestamp() - timestamp
    if skew > TOLERANCE_SECONDS:
        raise WebhookRejected(f"timestamp is {int(skew)} s old; at most {TOLERANCE_SECONDS} s allowed")
    if skew < -TOLERANCE_SECONDS:
        raise WebhookRejected(
            f"timestamp is {int(-skew)} s in the future; at most {TOLERANCE_SECONDS} s allowed"
        )
    if not signature.strip().startswith("sha256="):
        raise WebhookRejected(f"{SIGNATURE_HEADER} must be sha256=<hex>")
    expected = sign(body, timestamp, secret)
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode("utf-8", "replace")):
        raise WebhookRejected("bad signature: it does not match the body and timestamp for this source")


def parse_body(body: bytes, *, default_channel: str = "webhook") -> WebhookBatch:
    """The posts of a verified body; a post without ``channel`` gets ``default_channel``."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookRejected("body is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
        raise WebhookRejected('body must be {"posts": [...]}')
    if len(data["posts"]) > MAX_POSTS:
        raise WebhookRejected(f"{len(data['posts'])} posts in one request; at most {MAX_POSTS}")
    batch = WebhookBatch()
    for position, post in enumerate(data["posts"], start=1):
        if isinstance(post, dict):
            post = {"channel": default_channel, **post}
        checked = post_from_dict(post, line=position)
        if isinstance(checked, PostError):
            batch.errors.append(checked)
        else:
            batch.posts.append(post)
    return batch


def verify_and_parse(
    headers: Mapping[str, str], body: bytes, secret: str | Secret, now: datetime
) -> WebhookBatch:
    verify(headers, body, secret, now)
    return parse_body(body)
