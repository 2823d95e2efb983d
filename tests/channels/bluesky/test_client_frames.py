"""client.py offline: real firehose frames (captured from the reference PDS), the filter, reconnects."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.channels.support import LOOPBACK
from tests.support.waiting import PATIENCE, wait_until

from socialdesk.channels.bluesky.client import (
    FirehoseClient,
    FirehoseError,
    concerns,
    created_records,
    decode_frame,
    websocket_url,
)
from socialdesk.channels.bluesky.identity import IdentityResolver
from socialdesk.channels.framework import Backoff, HealthState, MemoryCursorStore, StopFlag

FIXTURES = Path(__file__).parent / "fixtures"
Load = Callable[[str], dict[str, Any]]


def frame(name: str) -> bytes:
    return (FIXTURES / f"{name}.bin").read_bytes()


@pytest.mark.parametrize(
    ("name", "record_fixture_name"),
    [
        ("firehose_commit_mention", "post_mention"),
        ("firehose_commit_reply", "reply"),
        ("firehose_commit_repost", "repost"),
    ],
)
def test_commit_frames_decode_to_the_records_written(
    name: str, record_fixture_name: str, record_fixture: Load
) -> None:
    expected = record_fixture(record_fixture_name)
    brand_did = record_fixture("post")["author"]["did"]
    kind, body = decode_frame(frame(name))
    assert kind == "#commit"
    assert isinstance(body["seq"], int)
    [record] = created_records(body)
    assert (record.uri, record.cid, record.record) == (expected["uri"], expected["cid"], expected["value"])
    assert record.did == expected["author"]["did"]
    assert concerns(record, brand_did)
    assert not concerns(record, "did:plc:someoneelse")


def test_the_brands_own_records_never_concern_it(record_fixture: Load) -> None:
    _, body = decode_frame(frame("firehose_commit_mention"))
    [record] = created_records(body)
    assert not concerns(record, record.did)


def test_identity_frame_carries_the_handle() -> None:
    kind, body = decode_frame(frame("firehose_identity"))
    assert kind == "#identity"
    assert body["handle"].endswith(".test")
    assert list(created_records(body)) == []


def test_error_frames_raise() -> None:
    import libipld

    data = libipld.encode_dag_cbor({"op": -1}) + libipld.encode_dag_cbor(
        {"error": "FutureCursor", "message": "Cursor in the future."}
    )
    with pytest.raises(FirehoseError, match="FutureCursor") as caught:
        decode_frame(data)
    assert caught.value.error == "FutureCursor"


def test_websocket_url() -> None:
    assert (
        websocket_url("https://bsky.network", None)
        == "wss://bsky.network/xrpc/com.atproto.sync.subscribeRepos"
    )
    assert websocket_url("http://localhost:2583/", "42") == (
        "ws://localhost:2583/xrpc/com.atproto.sync.subscribeRepos?cursor=42"
    )


def test_unreachable_service_degrades_and_backs_off() -> None:
    backoff = Backoff.exponential(0.01, cap=0.05)
    client = FirehoseClient(
        "http://127.0.0.1:1",
        "did:plc:brand",
        on_posts=lambda posts: None,
        resolver=IdentityResolver(plc_url="http://127.0.0.1:1"),
        cursors=MemoryCursorStore({"bluesky:firehose:127.0.0.1:1:did:plc:brand": "7"}),
        backoff=backoff,
        open_timeout=1.0,
        url_policy=LOOPBACK,
    )
    stop = StopFlag()
    thread = threading.Thread(target=client.run, args=(stop,))
    thread.start()
    try:
        wait_until(lambda: backoff.attempts >= 3, "3 attempts to reach the service")
    finally:
        stop.stop()
        thread.join(timeout=PATIENCE)
    assert not thread.is_alive()
    assert backoff.attempts >= 3
    snapshot = client.health.snapshot()
    assert snapshot.state is HealthState.DEGRADED
    assert "refused" in snapshot.reason.lower() or "connect" in snapshot.reason.lower()
    assert client.cursors.get(client.cursor_key) == "7"  # nothing consumed, nothing moved
