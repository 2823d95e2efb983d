"""The Account Activity reader on malformed input: skipped and reported by field, never a crash."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.channels.x.activity import MalformedActivity, read_account_activity
from socialdesk.ingest.validate import PostError, post_from_dict
from tests.channels.x.malformed import activity_body, malformed_body

T, D = "tweet_create_events", "direct_message_events"


def test_the_well_formed_body_reads_whole() -> None:
    batch = read_account_activity(activity_body())
    assert (len(batch.posts), batch.errors) == (3, [])


@pytest.mark.parametrize(
    ("change", "index", "field", "problem"),
    [
        (lambda b: b[T][0].pop("user"), 1, f"{T}.user", "must be an object"),
        (lambda b: b[T][0]["user"].update(id_str=7), 1, "tweet_create_events.user.id_str",
         "non-empty string, not int"),
        (lambda b: b[T][0].update(created_at="yesterday"), 1, "tweet_create_events.created_at",
         "must be a date like"),
        (lambda b: b[T][0].update(created_at="Wed Apr 03 17:05:12 +0000 0001"), 1,
         "tweet_create_events.created_at", "outside 1970-9999"),
        (lambda b: b[T][0]["user"].update(followers_count=2**64), 1,
         "tweet_create_events.user.followers_count", "0 to 2^63-1"),
        (lambda b: b[T][0].update(coordinates={"coordinates": 5}), 1,
         "tweet_create_events.coordinates.coordinates", "[longitude, latitude]"),
        (lambda b: b[D][1].update(created_timestamp="9" * 15), 2,
         "direct_message_events.created_timestamp", "outside years 1970-9999"),
        (lambda b: b[D][0]["message_create"].update(target=[]), 1,
         "direct_message_events.message_create.target", "must be an object, not array"),
    ],
)  # fmt: skip
def test_a_bad_event_is_skipped_and_named_the_rest_kept(change, index, field, problem) -> None:  # type: ignore[no-untyped-def]
    body = copy.deepcopy(activity_body())
    change(body)
    batch = read_account_activity(body)
    [error] = batch.errors
    assert (error.line, error.field) == (index, field)
    assert problem in error.message
    assert len(batch.posts) == 2


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ([], "body: must be an object, not array"),
        ({"tweet_create_events": {}}, "tweet_create_events: must be an array, not object"),
        ({"direct_message_events": "x"}, "direct_message_events: must be an array, not string"),
        ({"users": []}, "users: must be an object, not array"),
    ],
)
def test_a_bad_top_level_is_refused_whole(body: object, problem: str) -> None:
    with pytest.raises(MalformedActivity, match=problem):
        read_account_activity(body)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_malformed_bodies_never_crash_the_reader(data: st.DataObject) -> None:
    body = malformed_body(data)
    try:
        batch = read_account_activity(body)
    except MalformedActivity:
        return
    for error in batch.errors:
        assert error.field and error.message
    for post in batch.posts:  # what the reader lets through, ingest's validation takes or reports
        checked = post_from_dict(post)
        assert not isinstance(checked, PostError) or checked.message
