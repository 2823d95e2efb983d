"""X Account Activity webhooks: the CRC challenge and the signature on every POST (pure).

The web layer answers ``GET <webhook>?crc_token=...`` with :func:`crc_response` and, for a POST,
calls :func:`verify_signature` on the raw body before :func:`socialdesk.channels.x.parse.account_activity`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from socialdesk.channels.crypto import Secret


class SignatureError(Exception):
    """The POST is not from X (missing or wrong ``x-twitter-webhooks-signature``)."""


def _digest(consumer_secret: str | Secret, message: bytes) -> str:
    key = consumer_secret.reveal() if isinstance(consumer_secret, Secret) else consumer_secret
    mac = hmac.new(key.encode("utf-8"), message, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(mac).decode("ascii")


def crc_response(crc_token: str, consumer_secret: str | Secret) -> dict[str, str]:
    """The JSON body X expects back from the CRC GET."""
    if not crc_token:
        raise ValueError("crc_token is empty")
    return {"response_token": _digest(consumer_secret, crc_token.encode("utf-8"))}


def verify_signature(body: bytes, header: str | None, consumer_secret: str | Secret) -> None:
    """Raise :class:`SignatureError` unless ``header`` is X's HMAC-SHA256 of the raw ``body``."""
    if not header:
        raise SignatureError("missing x-twitter-webhooks-signature header")
    expected = _digest(consumer_secret, body)
    if not hmac.compare_digest(expected.encode("ascii"), header.strip().encode("utf-8", "replace")):
        raise SignatureError("x-twitter-webhooks-signature does not match the body")
