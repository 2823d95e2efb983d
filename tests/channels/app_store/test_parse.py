"""App Store Connect customer reviews (JSON:API, as documented) into normalized posts."""

from __future__ import annotations

from socialdesk.channels.app_store.parse import reviews_page
from tests.channels.support import assert_valid, load


def test_a_review_its_stars_and_the_developer_response() -> None:
    posts = reviews_page(load("app_store", "customer_reviews.json"), "1234567890")
    assert [p["id"] for p in posts] == [
        "00000001-ab12-cd34-ef56-7890abcdef12",
        "resp-1",
        "00000002-ab12-cd34-ef56-7890abcdef12",
    ]  # the malformed review is skipped, not the page
    for post in posts:
        assert_valid(post)
    review, response, anonymous = posts
    assert review["text"] == "Crashes\nSince 2.0 it closes at once" and review["rating"] == 2
    assert review["author"]["handle"] == "dana77"
    assert response["author"]["handle"] == "1234567890" and response["in_reply_to"] == review["id"]
    assert response["conversation_id"] == review["id"]
    assert anonymous["author"]["handle"] == "App Store user" and anonymous["text"] == "Love it"
