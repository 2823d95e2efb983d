"""Meta webhooks: the subscription check (GET) and ``X-Hub-Signature-256`` on every POST (pure).

The web layer answers ``GET <webhook>?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...``
with :func:`verification_answer` and, for a POST, calls :func:`verify_signature` on the raw body
before anything reads it as JSON.

Why nothing here is a signing oracle: the GET signs nothing. It compares the ``hub.verify_token``
Meta sends with the account's own verify token (a generated secret, compared in constant time) and
echoes ``hub.challenge`` only when they match, and only when the challenge has the shape Meta sends
(1 to :data:`CHALLENGE_MAX` ASCII digits and letters): an answer can never be a JSON object or carry
markup. The app secret, the only key POST signatures are checked with, is used by
:func:`verify_signature` alone, to check, never to produce, a digest of a body someone else chose.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from socialdesk.channels.crypto import Secret

SIGNATURE_HEADER = "x-hub-signature-256"
CHALLENGE_MAX = 128
_CHALLENGE = re.compile(rf"[A-Za-z0-9_-]{{1,{CHALLENGE_MAX}}}")
_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")


class SignatureError(Exception):
    """The POST is not from Meta (missing, malformed or wrong ``X-Hub-Signature-256``)."""


class VerificationRefused(ValueError):
    """The subscription check is refused; ``str(exc)`` says why (safe to send back, names no secret)."""


def _reveal(value: str | Secret) -> bytes:
    return (value.reveal() if isinstance(value, Secret) else value).encode("utf-8")


def is_challenge(value: str) -> bool:
    return _CHALLENGE.fullmatch(value) is not None


def verification_answer(
    mode: str | None, token: str | None, challenge: str | None, verify_token: str | Secret
) -> str:
    """The text to answer Meta's GET with (its ``hub.challenge``), or :class:`VerificationRefused`."""
    if mode != "subscribe":
        raise VerificationRefused("hub.mode must be subscribe")
    if not challenge or not is_challenge(challenge):
        raise VerificationRefused(f"hub.challenge must be 1 to {CHALLENGE_MAX} characters of A-Z a-z 0-9 _ -")
    given = (token or "").encode("utf-8", "replace")
    if not hmac.compare_digest(given, _reveal(verify_token)):
        raise VerificationRefused("hub.verify_token does not match this source's verify token")
    return challenge


def sign(body: bytes, app_secret: str | Secret) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends for ``body`` (for tests and the fake Graph)."""
    return "sha256=" + hmac.new(_reveal(app_secret), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, app_secret: str | Secret) -> None:
    """Raise :class:`SignatureError` unless ``header`` is ``sha256=`` + hex HMAC-SHA256 of the raw body."""
    if not header:
        raise SignatureError(f"missing {SIGNATURE_HEADER} header")
    found = _SIGNATURE.fullmatch(header.strip())
    if found is None:
        raise SignatureError(f"{SIGNATURE_HEADER} is not sha256= and 64 hex digits")
    expected = hmac.new(_reveal(app_secret), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, found.group(1).lower()):
        raise SignatureError(f"{SIGNATURE_HEADER} does not match the body")
