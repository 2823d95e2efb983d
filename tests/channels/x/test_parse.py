from __future__ import annotations

import pytest

from socialdesk.channels.x import parse
from tests.channels.support import assert_valid, load


@pytest.mark.parametrize(
    "name", ["stream_tweet.json", "stream_reply.json", "stream_retweet.json", "stream_brand_tweet.json"]
)
def test_every_stream_fixture_gives_a_valid_post(name: str) -> None:
    [post] = parse.stream_line(load("x", name))
    assert_valid(post)
    assert post["channel"] == "x"


def test_stream_tweet_is_normalized() -> None:
    [post] = parse.stream_line(load("x", "stream_tweet.json"))
    assert post["id"] == "1775583219848794370"
    assert post["text"].endswith("every 10 minutes & support chat is down")  # &amp; decoded
    assert post["author"] == {
        "id": "1266396210433814528",
        "handle": "danaw",
        "name": "Dana Whitfield",
        "followers": 412,
    }
    assert post["url"] == "https://x.com/danaw/status/1775583219848794370"
    assert post["in_reply_to"] is None
    assert post["raw"]["matching_rules"] == [{"id": "1775580000000000001", "tag": "acme-brand"}]


def test_reply_and_retweet_references() -> None:
    [reply] = parse.stream_line(load("x", "stream_reply.json"))
    assert reply["in_reply_to"] == "1775583290011223344"
    assert reply["conversation_id"] == "1775583219848794370"
    [retweet] = parse.stream_line(load("x", "stream_retweet.json"))
    assert retweet["is_repost"] is True
    assert retweet["repost_of"] == "1775583219848794370"
    assert retweet["author"]["verified"] is True


def test_brand_tweets_keep_the_brand_handle() -> None:
    [post] = parse.stream_line(load("x", "stream_brand_tweet.json"))
    assert post["author"]["handle"] == "AcmeSupport"
    assert post["author"]["id"] == "783214"


def test_error_lines_and_keep_alives_give_nothing() -> None:
    assert parse.stream_line(load("x", "stream_operational_disconnect.json")) == []


def test_mentions_pages() -> None:
    posts = parse.tweets_page(load("x", "mentions_page_1.json"))
    assert [p["id"] for p in posts] == ["1775590000000000003", "1775590000000000002"]
    for post in posts:
        assert_valid(post)
    assert parse.tweets_page(load("x", "mentions_empty.json")) == []


def test_account_activity_tweet() -> None:
    [post] = parse.account_activity(load("x", "aaa_tweet_create_events.json"))
    assert_valid(post)
    assert post["created_at"] == "2024-04-03T17:05:12+00:00"
    assert post["author"]["handle"] == "danaw"
    assert post["location"] == {"text": "Leeds, England", "lon": -1.5491, "lat": 53.8008}
    assert "&amp;" not in post["text"]


def test_account_activity_direct_messages_both_ways() -> None:
    inbound, outbound = parse.account_activity(load("x", "aaa_direct_message_events.json"))
    for post in (inbound, outbound):
        assert_valid(post)
        assert post["conversation_id"] == "783214-1266396210433814528"
    assert inbound["author"]["handle"] == "danaw"
    assert inbound["text"] == 'hi, my wifi is down again & the app says "error 42"'
    assert outbound["author"]["handle"] == "AcmeSupport"  # the brand's DM: ingest sees it as outbound
    assert inbound["created_at"] == "2024-04-03T17:20:00+00:00"
    assert inbound["visibility"] == outbound["visibility"] == "private"  # issue 15 item 2


def test_tweets_are_public() -> None:
    [post] = parse.account_activity(load("x", "aaa_tweet_create_events.json"))
    assert post.get("visibility", "public") == "public"
    assert all(
        p.get("visibility", "public") == "public"
        for p in parse.tweets_page(load("x", "mentions_page_1.json"))
    )


def test_polled_dm_events_are_private_posts_and_other_events_are_skipped() -> None:
    inbound, outbound = parse.dm_events_page(load("x", "dm_events_page.json"))  # ParticipantsJoin skipped
    for post in (inbound, outbound):
        assert_valid(post)
        assert post["visibility"] == "private"
        assert post["conversation_id"] == "783214-1266396210433814528"
    assert inbound["text"] == "my account number is 40112233, the router still blinks red & I work from home"
    assert inbound["author"] == {"id": "1266396210433814528", "handle": "danaw", "name": "Dana Whitfield",
                                 "followers": 412}  # fmt: skip
    assert outbound["author"]["handle"] == "AcmeSupport"


def test_account_activity_other_events_are_ignored() -> None:
    assert parse.account_activity(load("x", "aaa_favorite_events.json")) == []
