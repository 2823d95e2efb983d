"""Google Business Profile reviews (My Business API v4, as documented) into normalized posts."""

from __future__ import annotations

from socialdesk.channels.google_business.parse import reviews_page
from tests.channels.support import assert_valid, load


def test_a_review_its_stars_and_the_owner_reply() -> None:
    posts = reviews_page(load("google_business", "reviews_list.json"), "2222222222")
    assert [p["id"] for p in posts] == ["AbFvOqm000001", "AbFvOqm000001/reply", "AbFvOqm000002"]
    for post in posts:
        assert_valid(post)
    review, reply, anonymous = posts
    assert review["rating"] == 2 and review["author"]["name"] == "Sam Lee"
    assert reply["author"]["handle"] == "2222222222" and reply["in_reply_to"] == review["id"]
    assert anonymous["author"]["handle"] == "Google user" and "name" not in anonymous["author"]
    assert anonymous["rating"] == 5 and anonymous["text"] == ""  # stars only
