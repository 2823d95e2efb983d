"""The quick check before the JSON Schema validator accepts only what the schema accepts."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.demo.traffic import generate_posts
from socialdesk.domain.post import Visibility
from socialdesk.ingest.validate import PostError, _validator, plainly_valid, post_from_dict, post_to_dict

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 250),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "x",
            "a" * 8,
            "a" * 9,
            "a" * 200,
            "a" * 201,
            "a" * 2001,
            "X",
            "mastodon",
            "2026-01-05T09:00:00Z",
            "public",
            "private",
            "Private",
            "direct",
        ]
    ),
    st.sampled_from([2**63 - 1, 2**63, 10**30]),  # the largest integer a post may hold, and beyond
    st.sampled_from(
        [
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2026",
            "२०२६-01-05T09:00:00Z",
            "19700-01-01T00:00:00Z",
        ]
    ),
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
BASE: dict[str, Any] = {
    "id": "1",
    "channel": "x",
    "text": "wifi down",
    "created_at": "2026-01-05T09:00:00Z",
    "author": {"id": "u1", "handle": "carol", "name": "Carol", "followers": 10, "verified": False},
    "in_reply_to": None,
    "lang": "en",
    "is_repost": False,
}
TOP_KEYS = ["id", "channel", "text", "created_at", "author", "in_reply_to", "conversation_id", "lang", "url",
            "location", "location", "location", "is_repost", "repost_of", "raw", "extra", "visibility",
            "visibility"]  # fmt: skip
AUTHOR_KEYS = ["id", "handle", "name", "followers", "verified", "extra"]


@st.composite
def near_posts(draw: st.DrawFn) -> Any:
    """A valid post with a few fields replaced by arbitrary JSON, or removed."""
    post: dict[str, Any] = {**BASE, "author": dict(BASE["author"])}
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["top", "author"]))
        target = post if where == "top" or not isinstance(post.get("author"), dict) else post["author"]
        key = draw(st.sampled_from(TOP_KEYS if target is post else AUTHOR_KEYS))
        if draw(st.booleans()):
            target.pop(key, None)
        else:
            target[key] = draw(ANY_JSON)
    return post


@settings(derandomize=True, max_examples=1500, deadline=None)
@given(near_posts())
def test_the_quick_check_never_accepts_what_the_schema_refuses(post: Any) -> None:
    if plainly_valid(post):
        assert list(_validator().iter_errors(post)) == []


def test_ordinary_posts_take_the_quick_path() -> None:
    posts = list(generate_posts(300, seed=3))
    assert all(plainly_valid(post) for post in posts)
    assert all(not isinstance(post_from_dict(post, n), str) for n, post in enumerate(posts))


def test_refused_records_still_get_the_schema_s_message() -> None:
    post = {**BASE, "author": {**BASE["author"], "followers": -3}}
    assert not plainly_valid(post)
    assert str(post_from_dict(post, 7)) == "line 7: author.followers: -3 is less than the minimum of 0"
    refused = str(post_from_dict({**BASE, "channel": ["x"]}, 2))
    assert refused == "line 2: channel: ['x'] is not of type 'string'"


TRICKY = [None, True, False, 0, -1, 1, 1.0, 2.5, -90.5, 90, 180.5, "", "x", "a" * 9, "a" * 201,
          "a" * 2001, [], ["x"], {}, {"text": 1}, {"lat": 91}, {"lon": -181}, {"lat": None, "lon": 3},
          {"text": "Bristol"}, "public", "private", "Private", "direct", " public"]  # fmt: skip


def test_every_field_with_every_tricky_value() -> None:
    """Exhaustive over one field at a time: the quick check is never more lenient than the schema."""
    for key in TOP_KEYS:
        for value in TRICKY:
            post = {**BASE, "author": dict(BASE["author"]), key: value}
            if plainly_valid(post):
                assert list(_validator().iter_errors(post)) == [], (key, value)
    for key in AUTHOR_KEYS:
        for value in TRICKY:
            post = {**BASE, "author": {**BASE["author"], key: value}}
            if plainly_valid(post):
                assert list(_validator().iter_errors(post)) == [], ("author", key, value)
    for key in ("text", "lat", "lon"):
        for value in TRICKY:
            post = {**BASE, "location": {"text": "Bristol", "lat": 1.0, "lon": 2.0, key: value}}
            if plainly_valid(post):
                assert list(_validator().iter_errors(post)) == [], ("location", key, value)


def test_visibility_is_public_unless_the_record_says_private() -> None:
    public = post_from_dict(BASE)
    private = post_from_dict({**BASE, "visibility": "private"})
    assert not isinstance(public, PostError) and public.visibility is Visibility.PUBLIC
    assert not isinstance(private, PostError) and private.visibility is Visibility.PRIVATE
    assert post_to_dict(private)["visibility"] == "private"
    assert "visibility" not in post_to_dict(public)
    refused = post_from_dict({**BASE, "visibility": "direct"}, 3)
    assert isinstance(refused, PostError) and refused.field == "visibility"
    assert "'direct' is not one of ['public', 'private']" in refused.message
