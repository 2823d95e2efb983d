"""The compiled matcher returns exactly what the reference evaluator returns, monitor by monitor."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.listening import (
    MatchablePost,
    MonitorQueryError,
    Query,
    compile_monitors,
    estimate_from,
    evaluate,
    parse_query,
    render,
)
from socialdesk.listening.query import Node
from tests.listening.listening_strategies import nodes, posts
from tests.listening.matcher_kinds import MATCHER_KINDS


@pytest.mark.parametrize("native", MATCHER_KINDS)
@settings(derandomize=True, max_examples=250, deadline=None)
@given(st.lists(nodes, min_size=1, max_size=8), st.lists(posts, min_size=1, max_size=8))
def test_matcher_agrees_with_reference(native: bool, roots: list[Node], sample: list[MatchablePost]) -> None:
    queries = [Query(root, render(root)) for root in roots]
    matcher = compile_monitors(list(enumerate(queries)), native=native)
    batch = matcher.match_many(sample)
    for one, found in zip(sample, batch, strict=True):
        expected = [index for index, query in enumerate(queries) if evaluate(query, one)]
        assert found == expected
        assert matcher.match(one) == expected


MONITORS = [
    ("outages", '(comcast OR xfinity) AND ("no service" OR outage* OR down)'),
    ("cancel", "(cancel OR cancelling) NEAR/3 comcast"),
    ("hashtag", "#comcast"),
    ("vips", "comcast AND followers:>=10000"),
    ("big-en", "lang:en AND followers:>1000 AND verified:true"),
    ("reddit", "channel:reddit AND (comcast OR xfinity) AND NOT is:repost"),
    ("cares", "author:comcastcares"),
]


def test_realistic_monitors() -> None:
    matcher = compile_monitors(MONITORS)
    assert matcher.monitor_ids == tuple(sorted(name for name, _ in MONITORS))
    assert matcher.match(MatchablePost("Comcast down again, cancelling my #comcast", channel="x")) == [
        "cancel",
        "hashtag",
        "outages",
    ]
    assert matcher.match(MatchablePost("xfinity outages", channel="Reddit")) == ["outages", "reddit"]
    assert matcher.match(
        MatchablePost("hello", lang="en-US", followers=5000, verified=True, channel="x")
    ) == ["big-en"]
    assert matcher.match(MatchablePost("we are on it", author_handle="@ComcastCares")) == ["cares"]
    assert matcher.match(MatchablePost("nothing to see", channel="x")) == []
    assert len(matcher) == len(MONITORS)
    assert matcher.stats()["always_checked"] == 0  # every monitor is indexed under some key


def test_ids_can_be_ints_and_results_are_sorted() -> None:
    matcher = compile_monitors([(3, "comcast"), (1, "down"), (2, "comcast down")])
    assert matcher.match(MatchablePost("comcast down")) == [1, 2, 3]


def test_mixed_id_types_have_a_deterministic_order() -> None:
    matcher = compile_monitors([("b", "x1"), (2, "x1"), ("a", "x1")])
    assert matcher.match(MatchablePost("x1")) == [2, "a", "b"]


def test_bad_query_names_the_monitor_and_column() -> None:
    with pytest.raises(MonitorQueryError) as caught:
        compile_monitors([("good", "comcast"), ("broken", "comcast AND (down")])
    assert str(caught.value) == "monitor broken: unbalanced parenthesis at column 13"
    assert (caught.value.monitor_id, caught.value.column) == ("broken", 13)


def test_useless_query_names_the_monitor() -> None:
    with pytest.raises(MonitorQueryError, match=r"^monitor all: this query matches everything"):
        compile_monitors([("all", "NOT comcast")])


def test_parsed_queries_are_taken_as_given() -> None:
    matcher = compile_monitors([("all", parse_query("NOT comcast"))])
    assert matcher.match(MatchablePost("hello")) == ["all"]
    assert matcher.stats()["always_checked"] == 1


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        compile_monitors([("a", "x1"), ("a", "y1")])


def test_estimates_choose_the_rarest_word() -> None:
    rare_down = compile_monitors([("m", "comcast down")], estimate=estimate_from({"down": 1e-6}))
    assert rare_down.stats()["word_keys"] == 1
    assert rare_down.match(MatchablePost("down comcast")) == ["m"]
    assert rare_down.match(MatchablePost("comcast")) == []


def test_word_cache_starts_over_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("socialdesk.listening.matcher.CACHE_LIMIT", 3)
    matcher = compile_monitors([("m", "refund*"), ("n", "#x1")], native=False)
    for number in range(20):
        assert matcher.match(MatchablePost(f"w{number} v{number} refunds #x1")) == ["m", "n"]
    assert matcher.stats()["cached_words"] <= 8
