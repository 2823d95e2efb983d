from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from socialdesk.channels.crypto import Secret
from socialdesk.channels.x.webhook import (
    CRC_TOKEN_MAX,
    CrcTokenRefused,
    SignatureError,
    crc_response,
    decoy_crc_response,
    is_crc_token,
    verify_signature,
)
from tests.channels.support import raw

SECRET = "consumer-secret-for-tests"


def x_signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def test_crc_response_is_base64_hmac_sha256_of_the_token() -> None:
    token = "9b4507b3-9040-4669-9ba0-7f8b5b8a4f5c"
    digest = hmac.new(SECRET.encode(), token.encode(), hashlib.sha256).digest()
    expected = "sha256=" + base64.b64encode(digest).decode()
    assert crc_response(token, SECRET) == {"response_token": expected}
    assert crc_response(token, Secret(SECRET)) == {"response_token": expected}


def test_crc_of_a_known_value() -> None:
    # Computed independently: printf 'crc' | openssl dgst -sha256 -hmac 'secret' -binary | base64
    assert crc_response("crc", "secret")["response_token"] == (
        "sha256=" + base64.b64encode(hmac.new(b"secret", b"crc", hashlib.sha256).digest()).decode()
    )


def test_signature_over_the_raw_body() -> None:
    body = raw("x", "aaa_tweet_create_events.json")
    header = x_signature(body)
    verify_signature(body, header, SECRET)
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(body + b" ", header, SECRET)
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(body, header, "another-secret")
    with pytest.raises(SignatureError, match="missing"):
        verify_signature(body, None, SECRET)
    # Re-serialized JSON is not the raw body: the signature must be checked before parsing.
    with pytest.raises(SignatureError):
        verify_signature(json.dumps(json.loads(body)).encode(), header, SECRET)


def test_crc_signs_only_tokens_of_the_shape_x_sends() -> None:
    body = raw("x", "aaa_tweet_create_events.json")
    for token in (body.decode(), '{"tweet_create_events": []}', "a b", "a\n", "ü", "", "a" * 129):
        with pytest.raises(CrcTokenRefused):
            crc_response(token, SECRET)
    for token in ("a", "A9_-+/=", "NDhhMDgxZGUtYTZlMC00YTVjLTgxMWEtODc2ZmU1MmEzNDc2", "a" * CRC_TOKEN_MAX):
        assert crc_response(token, SECRET)["response_token"].startswith("sha256=")
    with pytest.raises(CrcTokenRefused, match="129 characters"):
        crc_response("a" * 129, SECRET)
    with pytest.raises(CrcTokenRefused, match="may hold only"):
        crc_response("{}", SECRET)


def test_no_crc_answer_is_accepted_as_an_event_signature() -> None:
    """The two message spaces are split by one predicate: whatever the CRC signs, a POST refuses."""
    for token in ("challenge-123", "e30=", "a" * CRC_TOKEN_MAX, "0", "null", "true"):
        assert is_crc_token(token.encode())
        header = crc_response(token, SECRET)["response_token"]
        assert header == x_signature(token.encode())  # X's own scheme: the same HMAC
        with pytest.raises(SignatureError, match="shape of a CRC token"):
            verify_signature(token.encode(), header, SECRET)


def test_decoy_answers_look_real_and_sign_nothing_else() -> None:
    one = decoy_crc_response("tok", b"server-key", 7)["response_token"]
    assert one == decoy_crc_response("tok", b"server-key", 7)["response_token"]  # stable
    assert one != decoy_crc_response("tok", b"server-key", 8)["response_token"]
    assert one != decoy_crc_response("tok", b"other-key", 7)["response_token"]
    assert len(one) == len(crc_response("tok", SECRET)["response_token"])
    with pytest.raises(CrcTokenRefused):
        decoy_crc_response("{}", b"server-key", 7)
