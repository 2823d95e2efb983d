"""The generated matcher code: untrusted text stays data, odd queries still mean what the reference says."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.listening import MatchablePost, Query, compile_monitors, evaluate, native_plan, render
from socialdesk.listening.codegen import MAX_DEPTH, Emitter
from socialdesk.listening.fasttokens import split_post, tokens_of
from socialdesk.listening.query import (
    And,
    AuthorIs,
    ChannelIs,
    FollowersAre,
    LangIs,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
)
from socialdesk.listening.tokens import token_strings

NASTY = ("it's", 'say "hi"', "back\\slash", "new\nline", "x'); import os; ('", "\x00\x01", "tab\there", "'''")


def _check(roots: list[Node], posts: list[MatchablePost]) -> None:
    """The generated Python code (and the C matcher, where built) against the reference."""
    queries = [(number, Query(root, render(root))) for number, root in enumerate(roots)]
    for native in (False, True) if native_plan.available() else (False,):
        matcher = compile_monitors(queries, native=native)
        for post in posts:
            expected = [number for number, root in enumerate(roots) if evaluate(root, post)]
            assert matcher.match(post) == expected


@pytest.mark.parametrize("text", NASTY)
def test_query_values_are_data_not_code(text: str) -> None:
    roots: list[Node] = [
        Term(text),
        Term(text, "#"),
        Prefix(text),
        Phrase((Term(text), Term("down"))),
        Near(Term(text), Term("down"), 2),
        And((Term("down"), AuthorIs(text))),
        And((Term("down"), ChannelIs(text))),
        And((Term("down"), LangIs(text))),
        And((Term("down"), Not(Or((Term(text), Term("up")))))),
    ]
    posts = [
        MatchablePost(text + " down", author_handle=text, channel=text, lang=text),
        MatchablePost("down", author_handle="@" + text, channel="x", lang="en"),
        MatchablePost("#" + text + " down up"),
    ]
    _check(roots, posts)


def test_query_text_never_enters_the_source() -> None:
    emitter = Emitter()
    for text in NASTY:
        source, values = emitter.function([(And((Term(text), Phrase((Term(text), Term("x"))))), (0,))], "")
        assert text not in source
        assert text in values
    source, values = emitter.function([(Or((Term("a"), Term("b"))), (3,))], "a")
    assert (source, values) == (
        "def g(k, t, w, p, c0):\n    r = ()\n    s = None\n    r += c0\n    return r\n",
        ((3,),),
    )


def test_monitors_of_one_template_share_code() -> None:
    matcher = compile_monitors(
        [(f"m{n}", f"brand{n} AND (refund* OR down) AND NOT giveaway") for n in range(50)], native=False
    )
    assert matcher.stats()["compiled_functions"] == 51  # one per word, and one for the queries with no key
    assert matcher.stats()["distinct_code"] == 2
    assert matcher.match(MatchablePost("brand7 down")) == ["m7"]


def test_unusual_follower_comparisons_behave_like_the_reference() -> None:
    roots: list[Node] = [
        And((Term("down"), FollowersAre(">", 10))),
        And((Term("down"), FollowersAre("=> 0 or True", 10))),  # type: ignore[arg-type]
    ]
    _check(roots, [MatchablePost("down", followers=count) for count in (None, 5, 10, 11)])


def test_deeply_nested_queries_use_the_reference() -> None:
    deep: Node = Term("down")
    for number in range(MAX_DEPTH * 3):
        deep = Not(deep) if number % 2 else Or((deep, Term(f"w{number}")))
    roots: list[Node] = [And((Term("comcast"), deep)), deep]
    posts = [MatchablePost(text) for text in ("comcast down", "comcast", "w3 comcast", "nothing")]
    _check(roots, posts)


def test_phrases_of_words_that_are_not_tokens() -> None:
    roots: list[Node] = [Phrase((Term("a b"), Term("c"))), Phrase((Term("a"), Term("b"), Term("c")))]
    _check(roots, [MatchablePost("a b c"), MatchablePost("x a b c y"), MatchablePost("a c b")])


ALPHABET = "aZ9 #@_-'.:/é\u0301ß日本😡\ufe0fİ‘’Ａx\u1680\u3000\u00a0\t\n한ी<=\u0338\u00a8ﬁΣ\u2028"


@settings(derandomize=True, max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30) | st.text(max_size=30))
def test_fast_tokenizer_agrees_with_token_strings(text: str) -> None:
    words, source = split_post(text)
    expected = token_strings(text)
    assert tokens_of(source) == expected
    assert words == [token[1:] if token[0] in "#@" else token for token in expected]
