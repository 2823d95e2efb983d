from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from socialdesk.channels.crypto import Secret
from socialdesk.channels.x.webhook import SignatureError, crc_response, verify_signature
from tests.channels.support import raw

SECRET = "consumer-secret-for-tests"


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
    header = crc_response(body.decode(), SECRET)["response_token"]
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
