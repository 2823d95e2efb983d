"""Google Play reviews (Developer API v3 reviews.list, as documented) into normalized posts."""

from __future__ import annotations

from socialdesk.channels.google_play.parse import review_of, reviews_page
from tests.channels.support import assert_valid, load

PACKAGE = "com.acme.app"


def test_a_review_its_stars_and_the_developer_reply() -> None:
    posts = reviews_page(load("google_play", "reviews_list.json"), PACKAGE)
    assert [p["id"] for p in posts] == [
        "gp:AOqpTOFmAVORqfWGcaqfF39ftwFjGkjecjvCkvOuJXeiDrdlq4hfMkr8Yiv5Jv0",
        "gp:AOqpTOFmAVORqfWGcaqfF39ftwFjGkjecjvCkvOuJXeiDrdlq4hfMkr8Yiv5Jv0/reply",
        "gp:AOqpTOH2",
    ]  # the review without a userComment is skipped, not the page
    review, reply, anonymous = posts
    for post in posts:
        assert_valid(post)
    assert review["text"] == "Crashes on start\nSince the update the app closes right away."
    assert review["rating"] == 1 and review["lang"] == "de"
    assert review["created_at"].startswith("2016-01-06T21:12:03.913")
    assert reply["author"]["handle"] == PACKAGE and reply["in_reply_to"] == review["id"]
    assert reply["conversation_id"] == review["conversation_id"] == review["id"]
    assert "rating" not in reply
    assert anonymous["author"]["handle"] == "Google Play user" and anonymous["rating"] == 5
    assert review_of(reply["id"]) == review["id"]


def test_a_rating_out_of_range_is_not_kept() -> None:
    body = load("google_play", "reviews_list.json")
    body["reviews"][1]["comments"][0]["userComment"]["starRating"] = 9
    assert reviews_page(body, PACKAGE)[2]["rating"] is None
