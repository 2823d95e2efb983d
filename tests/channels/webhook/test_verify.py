from __future__ import annotations

from datetime import timedelta

import pytest

from socialdesk.channels.webhook.verify import (
    WebhookRejected,
    parse_body,
    sign,
    verify,
    verify_and_parse,
)
from tests.channels.support import T0, raw

SECRET = "source-secret"
NOW = int(T0.timestamp())


def headers(body: bytes, timestamp: int = NOW, secret: str = SECRET) -> dict[str, str]:
    return {"X-Socialdesk-Timestamp": str(timestamp), "X-Socialdesk-Signature": sign(body, timestamp, secret)}


def test_signed_batch_is_accepted_and_posts_default_to_the_webhook_channel() -> None:
    body = raw("webhook", "posts_batch.json")
    batch = verify_and_parse(headers(body), body, SECRET, T0)
    assert batch.errors == []
    assert [(p["id"], p["channel"]) for p in batch.posts] == [
        ("rev-20240403-0042", "review"),
        ("form-991", "webhook"),
    ]


def test_header_names_are_case_insensitive() -> None:
    body = raw("webhook", "posts_batch.json")
    verify({k.lower(): v for k, v in headers(body).items()}, body, SECRET, T0)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda h, b: ({}, b), "unsigned request"),
        (lambda h, b: ({"X-Socialdesk-Signature": h["X-Socialdesk-Signature"]}, b), "unsigned request"),
        (lambda h, b: (h, b + b" "), "bad signature"),
        (lambda h, b: (headers(b, secret="other"), b), "bad signature"),
        (lambda h, b: ({**h, "X-Socialdesk-Signature": "md5=abc"}, b), "must be sha256=<hex>"),
        (lambda h, b: ({**h, "X-Socialdesk-Timestamp": "yesterday"}, b), "not Unix seconds"),
        (lambda h, b: ({**h, "X-Socialdesk-Timestamp": "9" * 400}, b), r"not Unix seconds .*400 characters"),
        (lambda h, b: ({**h, "X-Socialdesk-Timestamp": "-" + "9" * 11}, b), "not Unix seconds"),
        (lambda h, b: ({**h, "X-Socialdesk-Timestamp": "1_700_000_000"}, b), "not Unix seconds"),
        (lambda h, b: ({**h, "X-Socialdesk-Timestamp": "\u0661\u0662"}, b), "not Unix seconds"),
        (lambda h, b: ({**h, "X-Socialdesk-Timestamp": "9" * 12}, b), "in the future"),
        (lambda h, b: (headers(b, NOW - 301), b), "301 s old"),
        (lambda h, b: (headers(b, NOW + 301), b), "301 s in the future"),
    ],
)
def test_rejections_say_why(change, reason) -> None:  # type: ignore[no-untyped-def]
    body = raw("webhook", "posts_batch.json")
    bad_headers, bad_body = change(headers(body), body)
    with pytest.raises(WebhookRejected, match=reason):
        verify(bad_headers, bad_body, SECRET, T0)


def test_five_minutes_either_way_is_still_fresh() -> None:
    body = b'{"posts": []}'
    verify(headers(body, NOW - 300), body, SECRET, T0)
    verify(headers(body, NOW + 300), body, SECRET, T0 + timedelta(seconds=0))


def test_invalid_posts_are_reported_by_position() -> None:
    batch = parse_body(raw("webhook", "posts_batch_with_invalid.json"))
    assert [p["id"] for p in batch.posts] == ["ok-1"]
    assert [(e.line, e.field) for e in batch.errors] == [(2, "created_at"), (3, "created_at")]
    assert "no time zone" in batch.errors[1].message


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not JSON"),
        (b"[]", "posts"),
        (b'{"posts": 1}', "posts"),
        (b'{"posts": [{"lat": NaN}]}', "NaN is not a JSON number"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_malformed_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(WebhookRejected, match=reason):
        parse_body(body)
