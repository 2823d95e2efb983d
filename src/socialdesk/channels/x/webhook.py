"""X Account Activity webhooks: the CRC challenge and the signature on every POST (pure).

The web layer answers ``GET <webhook>?crc_token=...`` with :func:`crc_response` and, for a POST,
calls :func:`verify_signature` on the raw body before :func:`socialdesk.channels.x.parse.account_activity`.

Why the CRC endpoint is not a signing oracle
--------------------------------------------
X uses one key for both directions: the CRC answer is ``HMAC-SHA256(consumer_secret, crc_token)``
and an event POST is signed ``HMAC-SHA256(consumer_secret, body)``. Neither the key nor the message
format is ours to change, so an endpoint that answered the CRC for any string would sign any body
an attacker chose, and that body would then pass :func:`verify_signature` (issue #14, item 1).

The guarantee is structural, by splitting the message space in two with one predicate,
:func:`is_crc_token`:

* :func:`crc_response` signs a message only if ``is_crc_token(message)`` holds;
* :func:`verify_signature` refuses a body for which ``is_crc_token(body)`` holds, before it
  even computes the HMAC.

So the set of messages the CRC endpoint will ever sign and the set of bodies a POST can be accepted
with are disjoint by construction, whatever the token alphabet is and whatever the JSON parser
would make of a body. Equal answers for two different messages would need an HMAC-SHA256
collision. The alphabet adds a second, independent fence: a CRC token is 1 to
:data:`CRC_TOKEN_MAX` characters of ``[A-Za-z0-9_=+/-]`` (base64 and URL-safe base64, the shape of
the opaque tokens X sends), which can never spell a JSON object (no ``{``), the only body
``x_activity`` accepts. Both checks compare bytes: the CRC token is encoded as UTF-8 exactly as it
is signed.

Nor can the CRC sign anything else keyed by these secrets: the generic webhook's message is
``timestamp + "." + body`` (a ``.`` is outside the alphabet), and OAuth 1.0a requests to X are
HMAC-SHA1 with key ``consumer_secret&token_secret`` over a base string full of ``&`` and ``%``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from socialdesk.channels.crypto import Secret

CRC_TOKEN_MAX = 128
_CRC_TOKEN = re.compile(rb"[A-Za-z0-9_=+/-]{1,%d}" % CRC_TOKEN_MAX)
_DECOY_LABEL = b"socialdesk x crc decoy v1\x00"


class SignatureError(Exception):
    """The POST is not from X (missing or wrong ``x-twitter-webhooks-signature``)."""


class CrcTokenRefused(ValueError):
    """The ``crc_token`` is not of the shape X sends; ``str(exc)`` says why (safe to send back)."""


def is_crc_token(message: bytes) -> bool:
    """True for exactly the messages the CRC endpoint signs (and so the bodies a POST refuses)."""
    return _CRC_TOKEN.fullmatch(message) is not None


def _digest(key: bytes, message: bytes) -> str:
    mac = hmac.new(key, message, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(mac).decode("ascii")


def _key(consumer_secret: str | Secret) -> bytes:
    text = consumer_secret.reveal() if isinstance(consumer_secret, Secret) else consumer_secret
    return text.encode("utf-8")


def _crc_message(crc_token: str) -> bytes:
    message = crc_token.encode("utf-8", "replace")
    if not is_crc_token(message):
        if not crc_token or len(crc_token) > CRC_TOKEN_MAX:
            raise CrcTokenRefused(
                f"crc_token is {len(crc_token)} characters; X's tokens are 1 to {CRC_TOKEN_MAX}"
            )
        raise CrcTokenRefused("crc_token may hold only A-Z a-z 0-9 _ - + / = (the shape of X's tokens)")
    return message


def crc_response(crc_token: str, consumer_secret: str | Secret) -> dict[str, str]:
    """The JSON body X expects back from the CRC GET; :class:`CrcTokenRefused` for any other shape."""
    return {"response_token": _digest(_key(consumer_secret), _crc_message(crc_token))}


def decoy_crc_response(crc_token: str, server_key: bytes, account_id: int) -> dict[str, str]:
    """The answer for an id that is no X source with a consumer secret: shaped like a real one.

    Keyed by a key derived from ``server_key`` and the id (stable across processes sharing the
    server key), so it tells nobody whether the id exists or what it is. The derived key never
    leaves this function and signs nothing else, so this is no oracle either.
    """
    key = hmac.new(server_key, _DECOY_LABEL + str(account_id).encode("ascii"), hashlib.sha256).digest()
    return {"response_token": _digest(key, _crc_message(crc_token))}


def verify_signature(body: bytes, header: str | None, consumer_secret: str | Secret) -> None:
    """Raise :class:`SignatureError` unless ``header`` is X's HMAC-SHA256 of the raw ``body``.

    A body of CRC-token shape is refused whatever its signature: the CRC endpoint signs such
    strings for anyone (see the module's docstring).
    """
    if not header:
        raise SignatureError("missing x-twitter-webhooks-signature header")
    if is_crc_token(body):
        raise SignatureError("the body has the shape of a CRC token, which no event body has")
    expected = _digest(_key(consumer_secret), body)
    if not hmac.compare_digest(expected.encode("ascii"), header.strip().encode("utf-8", "replace")):
        raise SignatureError("x-twitter-webhooks-signature does not match the body")
