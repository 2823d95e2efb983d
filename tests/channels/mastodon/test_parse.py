from __future__ import annotations

import pytest

from socialdesk.channels.html_text import html_to_text
from socialdesk.channels.mastodon import parse
from tests.channels.support import assert_valid, load


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Hello &amp; welcome</p>", "Hello & welcome"),
        ("<p>one<br>two<br />three</p>", "one\ntwo\nthree"),
        ("<p>first</p><p>second</p>", "first\n\nsecond"),
        ("<p>caf&eacute; &#8212; &quot;ok&quot; &lt;3</p>", 'café — "ok" <3'),
        ("<p><strong>bold</strong> and <em>it</em></p>", "bold and it"),
        ("plain, no tags", "plain, no tags"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_mention_status_text_keeps_breaks_links_and_full_mentions() -> None:
    post = parse.status(load("mastodon", "status_mention.json"))
    assert_valid(post)
    assert post["text"] == (
        '@acme@mastodon.social my router keeps dropping wifi & the status page says "all good"\n\n'
        "Tried a reboot twice.\n"
        "Still nothing. #outage https://status.example.com/incidents/2024-04-03-leeds-fibre"
    )
    assert post["author"] == {
        "id": "109876543210",
        "handle": "dana@fosstodon.org",
        "name": "Dana W.",
        "followers": 312,
    }
    assert post["url"] == "https://fosstodon.org/@dana/112203040506070809"
    assert post["lang"] == "en"


def test_notifications() -> None:
    post = parse.notification(load("mastodon", "notification_mention.json"))
    assert post is not None and post["id"] == "112203040506070809"
    assert parse.notification(load("mastodon", "notification_favourite.json")) is None


def test_brand_reply_keeps_the_brand_handle_with_its_instance() -> None:
    post = parse.status(load("mastodon", "status_brand_reply.json"))
    assert_valid(post)
    assert post["author"]["handle"] == "acme@mastodon.social"
    assert post["in_reply_to"] == "112203040506070809"
    assert post["text"] == "@dana@fosstodon.org Sorry about that! We're on it ^AB"


def test_boost_is_a_repost_with_the_boosted_text() -> None:
    post = parse.status(load("mastodon", "status_reblog.json"))
    assert_valid(post)
    assert post["is_repost"] is True
    assert post["repost_of"] == "112203040506070809"
    assert post["text"].startswith("@acme@mastodon.social my router")
    assert post["author"]["handle"] == "sam@mastodon.social"
    assert "name" in post["author"]  # empty display name falls back to the username


def test_content_warning_is_kept_in_front() -> None:
    post = parse.status(load("mastodon", "status_direct.json"))
    assert post["text"] == "CW: account details\n\n@acme@mastodon.social my account is 5551234"


def test_a_direct_status_is_private_and_the_others_public() -> None:
    """Issue 15 item 2: a direct status (a DM with an account number) is stored private."""
    direct = parse.status(load("mastodon", "status_direct.json"))
    assert_valid(direct)
    assert direct["visibility"] == "private"
    assert parse.notification({"type": "mention", "status": load("mastodon", "status_direct.json")}) == direct
    for name in ("status_mention.json", "status_reblog.json"):
        assert parse.status(load("mastodon", name))["visibility"] == "public"
    followers_only = {**load("mastodon", "status_mention.json"), "visibility": "private"}
    assert parse.status(followers_only)["visibility"] == "public"  # followers see it: not a DM


def test_stream_events() -> None:
    status = load("mastodon", "status_mention.json")
    assert parse.stream_event("update", status) is not None
    assert parse.stream_event("notification", load("mastodon", "notification_mention.json")) is not None
    assert parse.stream_event("delete", "112203040506070809") is None
    assert parse.stream_event("filters_changed", None) is None
