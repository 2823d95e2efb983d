"""parse.py over real record shapes (fixtures written by the reference PDS, read back with getRecord)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from socialdesk.channels.bluesky.parse import (
    json_safe,
    mentioned_dids,
    post_from_record,
    reply_refs,
    split_uri,
)
from socialdesk.ingest.validate import PostError, post_from_dict

Load = Callable[[str], dict[str, Any]]


def parse(fixture: dict[str, Any]) -> dict[str, Any]:
    author = fixture["author"]
    post = post_from_record(fixture["uri"], fixture["cid"], fixture["value"], author["did"], author["handle"])
    assert post is not None
    assert not isinstance(post_from_dict(post), PostError), post_from_dict(post)
    return post


def test_post_starts_its_own_conversation(record_fixture: Load) -> None:
    fixture = record_fixture("post")
    post = parse(fixture)
    assert post["id"] == fixture["uri"]
    assert post["channel"] == "bluesky"
    assert post["text"] == "We're rolling out the new app today 🚀"
    assert post["created_at"] == "2026-01-05T08:00:00Z"
    assert post["author"] == {"id": fixture["author"]["did"], "handle": "acme-support.test"}
    assert post["in_reply_to"] is None
    assert post["conversation_id"] == fixture["uri"]
    assert post["lang"] == "en"
    assert post["is_repost"] is False
    _, _, rkey = split_uri(fixture["uri"])
    assert post["url"] == f"https://bsky.app/profile/acme-support.test/post/{rkey}"
    assert post["raw"] == {"uri": fixture["uri"], "cid": fixture["cid"], "record": fixture["value"]}


def test_reply_points_at_parent_and_root(record_fixture: Load) -> None:
    fixture = record_fixture("reply")
    post = parse(fixture)
    parent, root = reply_refs(fixture["value"])
    assert post["in_reply_to"] == parent == fixture["value"]["reply"]["parent"]["uri"]
    assert post["conversation_id"] == root == fixture["value"]["reply"]["root"]["uri"]
    assert post["author"]["handle"] == "carol-customer.test"


def test_mention_facet_names_the_brand(record_fixture: Load) -> None:
    fixture = record_fixture("post_mention")
    brand_did = record_fixture("post")["author"]["did"]
    assert mentioned_dids(fixture["value"]) == {brand_did}
    post = parse(fixture)
    assert post["lang"] == "fr"  # the first of `langs`
    assert post["in_reply_to"] is None
    start = fixture["value"]["facets"][0]["index"]["byteStart"]
    end = fixture["value"]["facets"][0]["index"]["byteEnd"]
    assert post["text"].encode()[start:end] == b"@acme-support.test"  # byte offsets, after "Café"


def test_link_facet_post_keeps_text(record_fixture: Load) -> None:
    fixture = record_fixture("post_link")
    post = parse(fixture)
    assert post["text"].endswith("https://status.acme.example/incidents/42")
    assert mentioned_dids(fixture["value"]) == set()


def test_repost_names_the_reposted_post(record_fixture: Load) -> None:
    fixture = record_fixture("repost")
    post = parse(fixture)
    assert post["is_repost"] is True
    assert post["repost_of"] == record_fixture("post")["uri"]
    assert post["text"] == ""
    assert post["url"] is None  # a repost has no page of its own


def test_other_record_types_are_not_posts() -> None:
    like = {"$type": "app.bsky.feed.like", "subject": {}, "createdAt": "2026-01-05T09:00:00Z"}
    assert (
        post_from_record("at://did:plc:a/app.bsky.feed.like/3k", "bafy", like, "did:plc:a", "a.test") is None
    )


@pytest.mark.parametrize(
    ("created_at", "seen_at", "expected"),
    [
        ("2026-01-05T10:00:00+02:00", None, "2026-01-05T08:00:00Z"),
        ("2026-01-05T10:00:00", "2026-01-05T09:00:01.5Z", "2026-01-05T09:00:01.500000Z"),  # no zone
        ("yesterday", "2026-01-05T09:00:00Z", "2026-01-05T09:00:00Z"),
    ],
)
def test_created_at_is_aware_utc(created_at: str, seen_at: str | None, expected: str) -> None:
    record = {"$type": "app.bsky.feed.post", "text": "hi", "createdAt": created_at}
    post = post_from_record(
        "at://did:plc:a/app.bsky.feed.post/3k", "bafy", record, "did:plc:a", "a.test", seen_at=seen_at
    )
    assert post is not None
    assert post["created_at"] == expected


def test_long_language_tag_is_cut_to_its_primary_subtag() -> None:
    record = {
        "$type": "app.bsky.feed.post",
        "text": "你好",
        "createdAt": "2026-01-05T09:00:00Z",
        "langs": ["zh-Hant-TW"],
    }
    post = post_from_record("at://did:plc:a/app.bsky.feed.post/3k", "bafy", record, "did:plc:a", None)
    assert post is not None
    assert post["lang"] == "zh"
    assert post["author"]["handle"] == "did:plc:a"  # no handle known: the DID stands in


def test_json_safe_turns_bytes_into_atproto_json() -> None:
    assert json_safe({"a": [b"\x01\x02"], "b": (1, None)}) == {"a": [{"$bytes": "AQI"}], "b": [1, None]}
