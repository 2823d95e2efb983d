"""YouTube Data API v3 comment threads, shaped as the API reference documents them, into posts."""

from __future__ import annotations

from socialdesk.channels.youtube.parse import comment, threads_page
from tests.channels.support import assert_valid, load

THREAD = "UgzC3nQ9aFxR7hVqkVZ4AaABAg"


def test_a_thread_is_its_top_level_comment_then_its_replies() -> None:
    posts = threads_page(load("youtube", "comment_threads_page.json"))
    assert [p["id"] for p in posts] == [
        THREAD,
        f"{THREAD}.9zX1aB2cD3e4fG5hI6jK7l",
        "UgyQ8mZt2bN6pW1sXkR4AaABAg",
    ]
    top, reply, other = posts
    for post in posts:
        assert_valid(post)
    assert top["text"] == "The firmware update bricked my Kestrel router & support won't answer"
    assert top["author"] == {
        "id": "UCdanadanadanadanadana01",
        "handle": "UCdanadanadanadanadana01",
        "name": "@dana_k",
    }
    assert (top["in_reply_to"], top["conversation_id"]) == (None, THREAD)
    assert (reply["in_reply_to"], reply["conversation_id"]) == (THREAD, THREAD)
    assert top["url"] == f"https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc={THREAD}"
    assert (
        other["text"] == "Great tutorial, thanks!"
    )  # textDisplay's HTML, as text, when there is no original


def test_malformed_items_are_skipped_never_the_page() -> None:
    page = {"items": [None, 7, {"kind": "youtube#commentThread"}, {"kind": "youtube#comment", "id": "x"}]}
    assert threads_page(page) == []
    assert threads_page("not json object") == []
    assert (
        comment({"id": "a", "snippet": {"publishedAt": "2026-12-01T00:00:00Z"}})["author"]["handle"]
        == "unknown"
    )
