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
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from socialdesk.channels.crypto import Secret
from socialdesk.channels.json_body import BodyNotJson, load_json_body
from socialdesk.ingest.validate import PostError, post_from_dict

TIMESTAMP_HEADER = "X-Socialdesk-Timestamp"
SIGNATURE_HEADER = "X-Socialdesk-Signature"
TOLERANCE_SECONDS = 300
MAX_POSTS = 1000
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")  # ASCII digits only; 12 reach past the year 33000


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


@dataclass(frozen=True)
class SignedHeaders:
    """The signature headers of a request whose timestamp is fresh (checked before any lookup)."""

    timestamp: int
    signature: str


def check_headers(headers: Mapping[str, str], now: datetime) -> SignedHeaders:
    """Raise :class:`WebhookRejected` unless the request carries both headers and a fresh timestamp.

    Needs neither the source nor the body, so its answers tell nothing about which sources exist.
    """
    stamp = _header(headers, TIMESTAMP_HEADER)
    signature = _header(headers, SIGNATURE_HEADER)
    if not stamp or not signature:
        raise WebhookRejected(f"unsigned request: {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} are required")
    text = stamp.strip()
    if not _UNIX_SECONDS.fullmatch(text):
        raise WebhookRejected(
            f"{TIMESTAMP_HEADER} is not Unix seconds (1 to 12 digits): {stamp[:40]!r}"
            + (f" ({len(stamp)} characters)" if len(stamp) > 40 else "")
        )
    timestamp = int(text)
    skew = now.timestamp() - timestamp  # a float: 12 digits are exact
    if skew > TOLERANCE_SECONDS:
        raise WebhookRejected(f"timestamp is {int(skew)} s old; at most {TOLERANCE_SECONDS} s allowed")
    if skew < -TOLERANCE_SECONDS:
        raise WebhookRejected(
            f"timestamp is {int(-skew)} s in the future; at most {TOLERANCE_SECONDS} s allowed"
        )
    if not signature.strip().startswith("sha256="):
        raise WebhookRejected(f"{SIGNATURE_HEADER} must be sha256=<hex>")
    return SignedHeaders(timestamp, signature.strip())


def check_signature(signed: SignedHeaders, body: bytes, secret: str | Secret) -> None:
    """Raise :class:`WebhookRejected` unless the signature is the source's HMAC of timestamp and body."""
    expected = sign(body, signed.timestamp, secret)
    if not hmac.compare_digest(expected.encode(), signed.signature.lower().encode("utf-8", "replace")):
        raise WebhookRejected("bad signature: it does not match the body and timestamp for this source")


def verify(headers: Mapping[str, str], body: bytes, secret: str | Secret, now: datetime) -> None:
    """Raise :class:`WebhookRejected` unless the request is signed with ``secret`` and fresh."""
    check_signature(check_headers(headers, now), body, secret)


def parse_body(body: bytes, *, default_channel: str = "webhook") -> WebhookBatch:
    """The posts of a verified body; a post without ``channel`` gets ``default_channel``."""
    try:
        data = load_json_body(body)
    except BodyNotJson as exc:
        raise WebhookRejected(str(exc)) from None
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
