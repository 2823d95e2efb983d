"""Refusing queries that can match nothing or match everything, and never refusing a useful one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.listening import QueryRejectedError, evaluate, parse_query, validate_query
from socialdesk.listening.post import MatchablePost
from socialdesk.listening.query import Node
from socialdesk.listening.validation import can_match_something, matches_blank_post
from tests.listening.listening_strategies import nodes, posts

NOTHING = [
    "a1 AND NOT a1",
    "#comcast AND NOT comcast",
    "comcast AND NOT comc*",
    "refunds* AND NOT refund*",
    '"no service" AND NOT service',
    '"no service now" AND NOT "service now"',
    "(a1 NEAR/3 b1) AND NOT b1",
    'x1 AND ""',
    '"" NEAR/2 x1',
    "followers:>10 AND followers:<5",
    "followers:>10 AND followers:<=11 AND NOT followers:>=11",
    "x1 AND lang:en AND lang:fr",
    "x1 AND lang:en-us AND lang:en-gb",
    "x1 AND lang:en-us AND NOT lang:en",
    "channel:x AND channel:reddit",
    "author:a AND author:b",
    "verified:true AND verified:false",
    "(a1 OR b1) AND NOT a1 AND NOT b1",
    "x1 AND (is:repost AND NOT is:repost)",
]

EVERYTHING = [
    "NOT comcast",
    "NOT (comcast OR xfinity)",
    "a1 OR NOT a1",
    "comcast OR NOT xfinity",
    "NOT lang:en",
    "verified:false",
    "NOT is:repost",
    "NOT followers:>100",
    "NOT (a1 AND NOT a1)",
]

USEFUL = [
    "comcast",
    "comcast AND NOT giveaway",
    "#comcast AND NOT @comcast",
    "comcast AND NOT #comcast",  # the plain or mention form
    "comc* AND NOT comcast",
    "comcast AND NOT comcasts*",
    'a1 AND b1 AND NOT "a1 b1"',
    'service AND NOT "no service"',
    "(a1 NEAR/3 b1) AND NOT (a1 NEAR/1 b1)",
    "a1 NEAR/3 a1",
    "lang:en AND lang:en-us",
    "lang:en AND NOT lang:en-us",
    "followers:>10 AND followers:<12",
    "NOT followers:>10 AND NOT followers:<=10 AND comcast",  # unknown follower count
    "x1 AND NOT (followers:>5 OR followers:<=5)",
    "comcast AND verified:false",
    "lang:en AND followers:>1000",
    "channel:x AND NOT channel:reddit",
    "author:comcastcares",
    "is:reply AND NOT is:repost",
    "comcast AND (x1 OR NOT x1)",
]


@pytest.mark.parametrize("text", NOTHING)
def test_can_match_nothing(text: str) -> None:
    with pytest.raises(QueryRejectedError) as caught:
        validate_query(text)
    assert caught.value.verdict == "can match nothing"
    assert caught.value.column is None
    assert str(caught.value).startswith("this query can match nothing: ")


@pytest.mark.parametrize("text", EVERYTHING)
def test_matches_everything(text: str) -> None:
    with pytest.raises(QueryRejectedError) as caught:
        validate_query(text)
    assert caught.value.verdict == "matches everything"
    assert str(caught.value).startswith("this query matches everything: ")


@pytest.mark.parametrize("text", USEFUL)
def test_useful_queries_are_accepted(text: str) -> None:
    assert validate_query(text).text == text


def test_search_gives_up_by_accepting() -> None:
    query = parse_query("a1 AND NOT a1").root
    assert not can_match_something(query)
    assert can_match_something(query, steps=1)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(nodes, st.lists(posts, max_size=12))
def test_rejections_are_sound(node: Node, sample: list[MatchablePost]) -> None:
    """A query judged to match nothing matches none of the posts; matching everything means the blank post."""
    if not can_match_something(node):
        assert not any(evaluate(node, one) for one in sample)
    if matches_blank_post(node):
        assert evaluate(node, MatchablePost(text=""))
