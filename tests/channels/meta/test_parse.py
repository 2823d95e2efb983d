"""Meta webhook bodies -> posts: Page comments, Messenger, Instagram comments, mentions and DMs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from socialdesk.channels.meta.parse import MalformedWebhook, read_webhook
from tests.channels.support import T0, assert_valid, load


def page(payload: Any) -> Any:
    return read_webhook(payload, object_name="page", channel="facebook", received_at=T0)


def test_page_comments_and_replies_thread_on_the_post() -> None:
    batch = page(load("meta", "page_feed_comments.json"))
    assert batch.errors == []
    first, reply = batch.posts
    assert first["id"] == "889900112233_551122334455"
    assert first["text"] == "No internet in Leeds since 9am, any news?"
    assert first["created_at"] == "2024-04-03T18:05:55+00:00"
    assert first["author"] == {"id": "7310045566778899", "handle": "7310045566778899", "name": "Carol Pike"}
    assert first["conversation_id"] == first["in_reply_to"] == "104912345678901_889900112233"
    assert reply["in_reply_to"] == "889900112233_551122334455"  # a reply to the comment
    assert batch.ignored == 2  # the reaction and the removal are no customer text
    for post in batch.posts:
        assert_valid(post)


def test_messenger_messages_are_private_and_echoes_and_reads_are_skipped() -> None:
    batch = page(load("meta", "messenger_messages.json"))
    assert batch.errors == []
    text, image = batch.posts
    assert text["visibility"] == image["visibility"] == "private"
    assert text["conversation_id"] == "104912345678901-6021887766554433"
    assert text["created_at"] == "2024-04-03T18:09:59.876000+00:00"
    assert text["author"]["id"] == "6021887766554433"
    assert image["text"] == "[image attachment]"
    assert batch.ignored == 2
    for post in batch.posts:
        assert_valid(post)


def test_instagram_comments_mentions_and_direct_messages() -> None:
    batch = read_webhook(
        load("meta", "instagram_events.json"), object_name="instagram", channel="instagram", received_at=T0
    )
    assert batch.errors == []
    comment, reply, dm = batch.posts
    assert comment["channel"] == "instagram"
    assert comment["author"]["handle"] == "danaw"
    assert comment["conversation_id"] == comment["in_reply_to"] == "18023345566778899"
    assert comment["created_at"] == "2024-04-03T18:11:40+00:00"  # no time of its own: the entry's
    assert reply["in_reply_to"] == "17865799348089039"
    assert dm["visibility"] == "private"
    assert dm["conversation_id"] == "17841405822304914-3217766554433221"
    assert [(m.media_id, m.comment_id) for m in batch.mentions] == [
        ("17918195224117851", "17894227972186120")
    ]
    assert batch.ignored == 1  # the echo of the brand's own message
    for post in batch.posts:
        assert_valid(post)


def test_a_body_for_the_other_product_is_refused_whole() -> None:
    with pytest.raises(MalformedWebhook, match="object: must be 'page'"):
        page(load("meta", "instagram_events.json"))


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda v: v.update(comment_id=["x"]), "entry.changes.value.comment_id"),
        (lambda v: v.update(created_time=10**20), "entry.changes.value.created_time"),
        (lambda v: v.update({"from": "carol"}), "entry.changes.value.from"),
        (lambda v: v.update(message=7), "entry.changes.value.message"),
    ],
)
def test_a_malformed_event_is_reported_by_position_and_the_rest_kept(mutate: Any, field: str) -> None:
    payload = load("meta", "page_feed_comments.json")
    mutate(payload["entry"][0]["changes"][1]["value"])
    batch = page(json.loads(json.dumps(payload)))
    assert [(e.line, e.field) for e in batch.errors] == [(2, field)]
    assert [p["id"] for p in batch.posts] == ["889900112233_551122334455"]
