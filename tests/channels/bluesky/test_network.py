"""The channel end to end against Bluesky's reference PLC + PDS on 127.0.0.1 (see conftest.py).

A customer mentions the brand, the firehose client discovers it, the brand replies through the
outbox dispatcher, the reply on the PDS has the right reply refs and facets, and it is never posted twice.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from tests.channels.support import LOOPBACK
from tests.support.sqlite_copies import SqliteStore
from tests.support.waiting import PATIENCE, wait_until

from socialdesk.actions.inbox.dispatch import do_dispatch_outbox
from socialdesk.bus.inprocess import RecordingBus
from socialdesk.channels.bluesky import BlueskyAccount, FirehoseClient
from socialdesk.channels.bluesky.parse import split_uri
from socialdesk.channels.framework import HealthState, MemoryCursorStore, StopFlag
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.post import Direction, Visibility
from socialdesk.ingest.validate import PostError, post_from_dict
from socialdesk.ports.inbox import NewMessage, OutboxItem
from socialdesk.ports.services import SendResult

pytestmark = pytest.mark.slow
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
MENTION = "app.bsky.richtext.facet#mention"
LINK = "app.bsky.richtext.facet#link"


def create_post(pds: str, account: Any, record: dict[str, Any]) -> dict[str, str]:
    response = httpx.post(
        f"{pds}/xrpc/com.atproto.repo.createRecord",
        headers={"Authorization": f"Bearer {account.access}"},
        json={"repo": account.did, "collection": "app.bsky.feed.post", "record": record},
        timeout=10,
    )
    response.raise_for_status()
    created: dict[str, str] = response.json()
    return created


def mention_post(pds: str, customer: Any, brand: Any, text: str) -> dict[str, str]:
    """The customer's post mentioning ``@brand`` with a mention facet (offsets in UTF-8 bytes)."""
    start = text.encode().index(f"@{brand.handle}".encode())
    end = start + len(f"@{brand.handle}".encode())
    facet = {
        "index": {"byteStart": start, "byteEnd": end},
        "features": [{"$type": MENTION, "did": brand.did}],
    }
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-01-05T09:00:00.000Z"}
    return create_post(pds, customer, {**record, "langs": ["en"], "facets": [facet]})


def get_record(pds: str, uri: str) -> dict[str, Any]:
    did, collection, rkey = split_uri(uri)
    response = httpx.get(
        f"{pds}/xrpc/com.atproto.repo.getRecord",
        params={"repo": did, "collection": collection, "rkey": rkey},
        timeout=10,
    )
    response.raise_for_status()
    got: dict[str, Any] = response.json()
    return got


def count_posts(pds: str, did: str) -> int:
    response = httpx.get(
        f"{pds}/xrpc/com.atproto.repo.listRecords",
        params={"repo": did, "collection": "app.bsky.feed.post", "limit": 100},
        timeout=10,
    )
    response.raise_for_status()
    return len(response.json()["records"])


@contextmanager
def following(client_of: Callable[[Callable[[list[dict[str, Any]]], None]], FirehoseClient]) -> Iterator[Any]:
    """Run a firehose client in a thread; yields (queue of posts, client)."""
    posts: queue.Queue[dict[str, Any]] = queue.Queue()

    def on_posts(batch: list[dict[str, Any]]) -> None:
        for post in batch:
            posts.put(post)

    client = client_of(on_posts)
    client.batch_wait = 0.05
    stop = StopFlag()
    thread = threading.Thread(target=client.run, args=(stop,), daemon=True)
    thread.start()
    try:
        # Without a cursor the stream starts live: wait for the connection.
        wait_until(lambda: client.health.state is HealthState.CONNECTED, "the firehose connection")
        yield posts, client
    finally:
        stop.stop()
        thread.join(timeout=PATIENCE)
        assert not thread.is_alive()


def next_post(posts: Any, timeout: float = PATIENCE) -> dict[str, Any]:
    try:
        post: dict[str, Any] = posts.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"the firehose delivered nothing within {timeout} s")
    return post


def outbox_item(store: SqliteStore, bus: RecordingBus, text: str, in_reply_to: str) -> OutboxItem:
    with store.unit_of_work(bus) as uow:
        workspace = uow.workspaces.add("acme", "Acme")
        message = NewMessage(
            None,
            "bluesky",
            None,
            Direction.OUTBOUND,
            Visibility.PUBLIC,
            text,
            T0,
            "acme",
            "Agent",
            delivery="pending",
        )
        [message_id] = uow.messages.add_many(workspace.id, [message])
        payload = {"text": text, "visibility": "public", "in_reply_to": in_reply_to, "conversation_id": 1}
        item = uow.outbox.add(workspace.id, message_id, "bluesky", "key-" + text[:8], payload, T0)
        uow.commit()
    return item


def test_mention_is_discovered_and_answered_once(
    atproto_network: Any, make_account: Any, sqlite_store: SqliteStore
) -> None:
    pds, plc = atproto_network.pds, atproto_network.plc
    brand, customer = make_account("acme-support"), make_account("carol-customer")
    account = BlueskyAccount.connect(pds, brand.handle, brand.password, plc_url=plc, policy=LOOPBACK)
    assert account.did == brand.did
    cursors = MemoryCursorStore()

    with following(lambda on_posts: account.firehose(on_posts, cursors, service=pds)) as (posts, client):
        mention = mention_post(pds, customer, brand, f"Hey @{brand.handle} my order #4411 is late 😡")
        post = next_post(posts)
        assert post["id"] == mention["uri"]
        parsed = post_from_dict(post)
        assert not isinstance(parsed, PostError), parsed
        assert parsed.channel == "bluesky"
        assert parsed.in_reply_to is None
        assert parsed.conversation_id == mention["uri"]
        assert (parsed.author.id, parsed.author.handle) == (customer.did, customer.handle)
        assert parsed.lang == "en"
        assert post["raw"]["cid"] == mention["cid"]

        # The brand replies through the outbox dispatcher, with a mention and a link.
        store, bus = sqlite_store, RecordingBus()
        text = f"@{customer.handle} so sorry, Carol! Tracking: https://acme.example/orders/4411 ✨"
        item = outbox_item(store, bus, text, mention["uri"])
        sender = account.sender()
        assert sender.find_sent(item) is None
        report = do_dispatch_outbox(lambda: store.unit_of_work(bus), {"bluesky": sender}, FixedClock(T0))
        assert (report.sent, report.failed) == (1, 0)
        with store.unit_of_work(bus) as uow:
            sent = uow.outbox.get(item.id)
        assert sent is not None and sent.external_id is not None
        reply_uri = sent.external_id

        # The brand's own reply comes by on the firehose too, but is not handed over.
        follow_up = create_post(
            pds,
            customer,
            {
                "$type": "app.bsky.feed.post",
                "text": "thanks",
                "createdAt": "2026-01-05T09:05:00.000Z",
                "reply": {
                    "root": {"uri": mention["uri"], "cid": mention["cid"]},
                    "parent": {"uri": reply_uri, "cid": get_record(pds, reply_uri)["cid"]},
                },
            },
        )
        answer = next_post(posts)
        assert answer["id"] == follow_up["uri"]  # not the brand's reply in between
        assert (answer["in_reply_to"], answer["conversation_id"]) == (reply_uri, mention["uri"])
        assert int(cursors.get(client.cursor_key) or 0) > 0

    record = get_record(pds, reply_uri)["value"]
    assert record["reply"] == {
        "root": {"uri": mention["uri"], "cid": mention["cid"]},
        "parent": {"uri": mention["uri"], "cid": mention["cid"]},
    }
    assert record["text"] == text
    data = text.encode()
    found = {
        data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(): f["features"][0]
        for f in record["facets"]
    }
    assert found == {
        f"@{customer.handle}": {"$type": MENTION, "did": customer.did},
        "https://acme.example/orders/4411": {"$type": LINK, "uri": "https://acme.example/orders/4411"},
    }
    assert record["socialdeskKey"] == item.idempotency_key

    # Never twice: find_sent sees it, a repeated send returns the same post, the repo holds one.
    assert sender.find_sent(item) is not None
    assert sender.find_sent(item).external_id == reply_uri  # type: ignore[union-attr]
    assert sender.send(item).external_id == reply_uri
    assert count_posts(pds, brand.did) == 1


def test_crash_after_posting_is_recovered_not_reposted(
    atproto_network: Any, make_account: Any, sqlite_store: SqliteStore
) -> None:
    pds, plc = atproto_network.pds, atproto_network.plc
    brand, customer = make_account("acme-care"), make_account("dave-customer")
    account = BlueskyAccount.connect(pds, brand.handle, brand.password, plc_url=plc, policy=LOOPBACK)
    mention = mention_post(pds, customer, brand, f"@{brand.handle} is the app down?")
    store, bus = sqlite_store, RecordingBus()
    item = outbox_item(store, bus, "We're on it, back in 10 minutes.", mention["uri"])
    sender = account.sender()
    posted: list[SendResult] = []

    class Killed(BaseException):
        pass

    class DiesAfterPosting:  # the network call happened, then the worker died before committing
        def send(self, item: OutboxItem) -> SendResult:
            posted.append(sender.send(item))
            raise Killed

        def find_sent(self, item: OutboxItem) -> SendResult | None:
            return sender.find_sent(item)

    with pytest.raises(Killed):
        do_dispatch_outbox(lambda: store.unit_of_work(bus), {"bluesky": DiesAfterPosting()}, FixedClock(T0))
    report = do_dispatch_outbox(lambda: store.unit_of_work(bus), {"bluesky": sender}, FixedClock(T0))
    assert (report.sent, report.recovered) == (0, 1)
    with store.unit_of_work(bus) as uow:
        sent = uow.outbox.get(item.id)
    assert sent is not None and sent.external_id == posted[0].external_id
    assert count_posts(pds, brand.did) == 1


def test_reply_deep_in_a_thread_keeps_the_root(
    atproto_network: Any, make_account: Any, sqlite_store: SqliteStore
) -> None:
    pds, plc = atproto_network.pds, atproto_network.plc
    brand, customer = make_account("acme-help"), make_account("erin-customer")
    account = BlueskyAccount.connect(pds, brand.handle, brand.password, plc_url=plc, policy=LOOPBACK)
    root = mention_post(pds, customer, brand, f"@{brand.handle} refund please")
    second = create_post(
        pds,
        customer,
        {
            "$type": "app.bsky.feed.post",
            "text": "order 4411",
            "createdAt": "2026-01-05T09:01:00.000Z",
            "reply": {
                "root": {"uri": root["uri"], "cid": root["cid"]},
                "parent": {"uri": root["uri"], "cid": root["cid"]},
            },
        },
    )
    store, bus = sqlite_store, RecordingBus()
    item = outbox_item(store, bus, "Refund issued for order 4411.", second["uri"])
    result = account.sender().send(item)
    record = get_record(pds, result.external_id)["value"]
    assert record["reply"] == {
        "root": {"uri": root["uri"], "cid": root["cid"]},
        "parent": {"uri": second["uri"], "cid": second["cid"]},
    }
    assert "facets" not in record


def test_firehose_resumes_after_its_cursor(atproto_network: Any, make_account: Any) -> None:
    pds, plc = atproto_network.pds, atproto_network.plc
    brand, customer = make_account("acme-desk"), make_account("frank-customer")
    account = BlueskyAccount.connect(pds, brand.handle, brand.password, plc_url=plc, policy=LOOPBACK)
    cursors = MemoryCursorStore()
    with following(lambda on_posts: account.firehose(on_posts, cursors, service=pds)) as (posts, _):
        first = mention_post(pds, customer, brand, f"@{brand.handle} first")
        assert next_post(posts)["id"] == first["uri"]
    second = mention_post(pds, customer, brand, f"@{brand.handle} second, while the client was stopped")
    with following(lambda on_posts: account.firehose(on_posts, cursors, service=pds)) as (posts, _):
        assert next_post(posts)["id"] == second["uri"]  # replayed from the cursor, first not repeated
        with pytest.raises(queue.Empty):
            posts.get(timeout=0.5)
